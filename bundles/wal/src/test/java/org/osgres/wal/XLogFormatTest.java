package org.osgres.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Segment names against pg_walfile_name() of PostgreSQL 15 (tools/record-walfile-names.sh). */
class XLogFormatTest {

    static long parseLsn(String s) {
        String[] p = s.split("/");
        return Long.parseUnsignedLong(p[0], 16) << 32 | Long.parseUnsignedLong(p[1], 16);
    }

    @Test
    void walFileNamesMatchPostgres() throws IOException {
        List<String> lines;
        try (InputStream in = getClass().getResourceAsStream("/golden/walfile_names.txt")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        assertEquals(16, lines.size());
        for (String line : lines) {
            String[] f = line.split("\\|");
            long lsn = parseLsn(f[0]);
            assertEquals(f[1], XLogFormat.walFileName(1, lsn), "pg_walfile_name('" + f[0] + "')");
            assertEquals(Long.parseLong(f[3]), XLogFormat.segmentOffset(lsn), "offset of " + f[0]);
        }
    }

    @Test
    void fileNamesParseBack() {
        for (long segno : new long[] {0, 1, 255, 256, 0x16AB, 0xFFFFFFFFFFL}) {
            assertEquals(segno, XLogFormat.parseFileName(XLogFormat.fileName(1, segno), 1));
        }
        assertEquals(-1, XLogFormat.parseFileName("000000020000000000000001", 1));
        assertEquals(-1, XLogFormat.parseFileName("archive_status", 1));
    }

    @Test
    void lsnFormatsAsPostgres() {
        assertEquals("0/16B3F48", org.osgres.api.wal.WalInsert.formatLsn(parseLsn("0/16B3F48")));
        assertEquals("16/ABCDEF01", org.osgres.api.wal.WalInsert.formatLsn(parseLsn("16/ABCDEF01")));
        assertEquals("0/0", org.osgres.api.wal.WalInsert.formatLsn(0));
    }
}
