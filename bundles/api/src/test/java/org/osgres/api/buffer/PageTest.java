package org.osgres.api.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The page layout against a heap page PostgreSQL 15 wrote, with pageinspect's reading of it
 * (recorded by record-heap-page.sh beside the golden files).
 */
class PageTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = PageTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsAPostgresHeapPage() throws IOException {
        ByteBuffer page = ByteBuffer.wrap(HexFormat.of().parseHex(resource("heap-page.hex").strip()));
        String[] h = resource("heap-page-header.tsv").strip().split("\t");
        String[] lsn = h[0].split("/");
        assertEquals(Long.parseLong(lsn[0], 16) << 32 | Long.parseLong(lsn[1], 16), Page.lsn(page));
        assertEquals(Integer.parseInt(h[1]), Page.checksum(page));
        assertEquals(Integer.parseInt(h[2]), Page.flags(page));
        assertEquals(Integer.parseInt(h[3]), Page.lower(page));
        assertEquals(Integer.parseInt(h[4]), Page.upper(page));
        assertEquals(Integer.parseInt(h[5]), Page.special(page));
        assertEquals(Integer.parseInt(h[6]), Page.pageSize(page));
        assertEquals(Integer.parseInt(h[7]), Page.layoutVersion(page));
        assertEquals(Integer.parseUnsignedInt(h[8]), Page.pruneXid(page));

        List<String> items = resource("heap-page-items.tsv").strip().lines().toList();
        assertEquals(items.size(), Page.maxOffsetNumber(page));
        for (String line : items) {
            String[] f = line.split("\t");
            int lp = Integer.parseInt(f[0]);
            int id = Page.itemId(page, lp);
            assertEquals(Integer.parseInt(f[1]), Page.itemOffset(id), "lp_off of " + lp);
            assertEquals(Integer.parseInt(f[2]), Page.itemFlags(id), "lp_flags of " + lp);
            assertEquals(Integer.parseInt(f[3]), Page.itemLength(id), "lp_len of " + lp);
            ByteBuffer item = Page.item(page, lp);
            int hoff = item.get(22) & 0xff; // t_hoff in HeapTupleHeaderData
            byte[] data = new byte[item.remaining() - hoff];
            item.get(hoff, data);
            assertEquals(f[4], HexFormat.of().formatHex(data), "t_data of " + lp);
        }
    }

    @Test
    void buildsTheSameLayoutPostgresDoes() throws IOException {
        ByteBuffer golden = ByteBuffer.wrap(HexFormat.of().parseHex(resource("heap-page.hex").strip()));
        ByteBuffer page = ByteBuffer.allocate(Page.SIZE);
        Page.init(page, 0);
        assertTrue(!Page.isNew(page));
        assertEquals(Page.HEADER_SIZE, Page.lower(page));
        assertEquals(Page.SIZE, Page.upper(page));
        assertEquals(8192 | 4, Page.pageSize(page) | Page.layoutVersion(page));
        for (int lp = 1; lp <= Page.maxOffsetNumber(golden); lp++) {
            assertEquals(lp, Page.addItem(page, Page.item(golden, lp)));
        }
        Page.setLsn(page, Page.lsn(golden));
        Page.setPruneXid(page, Page.pruneXid(golden));
        assertEquals(golden, page, "header, line pointers and tuples byte for byte");
        assertEquals(Page.upper(golden) - Page.lower(golden) - Page.ITEM_ID_SIZE, Page.freeSpace(page));
    }

    @Test
    void addItemFailsWhenFullAndReusesFreeLines() {
        ByteBuffer page = ByteBuffer.allocate(Page.SIZE);
        Page.init(page, 16);
        assertEquals(Page.SIZE - 16, Page.special(page));
        ByteBuffer item = ByteBuffer.allocate(1000);
        int n = 0;
        while (Page.addItem(page, item.duplicate()) != Page.INVALID_OFFSET_NUMBER) {
            n++;
        }
        assertEquals(8, n);
        assertEquals(Page.INVALID_OFFSET_NUMBER, Page.addItem(page, ByteBuffer.allocate(200)));
        Page.setItemId(page, 3, 0, Page.LP_UNUSED, 0);
        Page.setFlags(page, Page.PD_HAS_FREE_LINES);
        assertEquals(3, Page.addItem(page, ByteBuffer.allocate(8)), "the unused line pointer is reused");
        ByteBuffer zero = ByteBuffer.allocate(Page.SIZE);
        assertTrue(Page.isNew(zero));
        assertEquals(0, Page.freeSpace(zero));
    }
}
