/*
 * HeapWal: the heap's WAL records (PostgreSQL: access/heap/heapam.c log_heap_insert's part of
 * heap_insert, log_heap_update, the XLOG records of heap_delete and heap_lock_tuple;
 * pruneheap.c log_heap_prune; vacuumlazy.c's XLOG_HEAP2_VACUUM; access/heapam_xlog.h).
 *
 * Record kinds are PostgreSQL's info codes: Heap (RM_HEAP_ID) XLOG_HEAP_INSERT, _DELETE, _UPDATE,
 * _LOCK, with XLOG_HEAP_INIT_PAGE when the page was (re)initialised for the tuple; Heap2
 * (RM_HEAP2_ID) XLOG_HEAP2_PRUNE and XLOG_HEAP2_VACUUM. The payload is osgres's own, simpler than
 * xl_heap_*: each block's data is a list of page operations that redo applies at the same line
 * pointer offsets, in order:
 * <pre>
 *   OP_PUT     offnum u16, length u16, the tuple's bytes   (PageAddItem at offnum, overwrite)
 *   OP_HEADER  offnum u16, the 22 bytes t_xmin..t_infomask (the fixed header but t_hoff)
 *   OP_PRUNE   pd_prune_xid u32                            (PageSetPrunable)
 * </pre>
 * A header carries what heap_delete, heap_update and heap_lock_tuple change on the old tuple:
 * xmax, infomask bits, cmax/combo cid, t_ctid. Hint bits in it are facts established before the
 * record (an earlier commit record), so replaying them is safe. PRUNE and VACUUM log the whole
 * page (a forced image): VACUUM is rare, and compaction moves every tuple.
 *
 * Each record is inserted while the pages are still exclusively locked, after markDirty, and
 * their pd_lsn is stamped with the record's end before the unlock (the WAL-before-data rule
 * the buffer manager enforces at write time depends on it).
 *
 * Entry points: ops(), log(), logImages(), smgrCreate(), smgrTruncate().
 * See also: HeapRedo -- the replay; HeapAccessMethod, Hio, LazyVacuum -- where records are written.
 */
package org.osgres.heap;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.wal.SmgrRecords;
import org.osgres.api.wal.WalInsert;
import org.osgres.api.wal.WalRecord;

final class HeapWal {
    static final int XLOG_HEAP_INSERT = 0x00;
    static final int XLOG_HEAP_DELETE = 0x10;
    static final int XLOG_HEAP_UPDATE = 0x20;
    static final int XLOG_HEAP_LOCK = 0x60;
    /** XLOG_HEAP_INIT_PAGE: the (first) block is rebuilt from an empty page. */
    static final int XLOG_HEAP_INIT_PAGE = 0x80;
    static final int XLOG_HEAP2_PRUNE = 0x10;
    static final int XLOG_HEAP2_VACUUM = 0x20;

    static final int OP_PUT = 1;
    static final int OP_HEADER = 2;
    static final int OP_PRUNE = 3;
    /** t_xmin through t_infomask: the header bytes a change to an existing tuple rewrites. */
    static final int HEADER_BYTES = HeapTupleHeader.SIZE - 1;

    private final WalInsert wal;
    private final BufferManager buffers;

    HeapWal(WalInsert wal, BufferManager buffers) {
        this.wal = wal;
        this.buffers = buffers;
    }

    boolean enabled() {
        return wal != null;
    }

    /** A block's page operations, read from the page after the change. */
    static final class Ops {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        private final ByteBuffer page;

        Ops(ByteBuffer page) {
            this.page = page;
        }

        /** The tuple now at offnum, whole. */
        Ops put(int offnum) {
            int id = Page.itemId(page, offnum);
            int len = Page.itemLength(id);
            out.write(OP_PUT);
            u16(offnum);
            u16(len);
            byte[] bytes = new byte[len];
            page.get(Page.itemOffset(id), bytes);
            out.writeBytes(bytes);
            return this;
        }

        /** The fixed header of the tuple at offnum. */
        Ops header(int offnum) {
            out.write(OP_HEADER);
            u16(offnum);
            byte[] bytes = new byte[HEADER_BYTES];
            page.get(Page.itemOffset(Page.itemId(page, offnum)), bytes);
            out.writeBytes(bytes);
            return this;
        }

        /** pd_prune_xid as it is now. */
        Ops pruneXid() {
            out.write(OP_PRUNE);
            int x = Page.pruneXid(page);
            u16(x & 0xffff);
            u16(x >>> 16);
            return this;
        }

        private void u16(int v) {
            out.write(v & 0xff);
            out.write((v >>> 8) & 0xff);
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    static Ops ops(ByteBuffer page) {
        return new Ops(page);
    }

    /** One block of a record: the pinned, exclusively locked buffer, whether redo rebuilds it, its operations. */
    record Block(int buffer, boolean init, Ops ops) {
    }

    /**
     * Inserts a record over these blocks (ids 0, 1, ... in order) and stamps their pages with its
     * LSN; the caller holds their exclusive locks and has marked them dirty.
     */
    void log(RelFileLocator rel, byte rmgr, int info, int xid, List<Block> blocks) {
        if (wal == null) {
            return;
        }
        WalRecord.Builder b = WalRecord.builder(rmgr, info).xid(xid);
        for (int i = 0; i < blocks.size(); i++) {
            Block blk = blocks.get(i);
            long blkno = buffers.blockNumber(blk.buffer());
            byte[] data = blk.ops().bytes();
            if (blk.init()) {
                b.initBlock(i, rel, ForkNumber.MAIN, blkno, data);
            } else {
                b.block(i, rel, ForkNumber.MAIN, blkno, buffers.page(blk.buffer()), data);
            }
        }
        long lsn = wal.insert(b.build());
        for (Block blk : blocks) {
            Page.setLsn(buffers.page(blk.buffer()), lsn);
        }
    }

    /** A record carrying the whole page (XLOG_HEAP2_PRUNE / _VACUUM as log_newpage): redo restores it. */
    void logImage(RelFileLocator rel, int info, int buffer) {
        if (wal == null) {
            return;
        }
        ByteBuffer page = buffers.page(buffer);
        byte[] image = new byte[Page.SIZE];
        page.get(0, image);
        long lsn = wal.insert(WalRecord.builder(WalRecord.RM_HEAP2_ID, info)
                .imageBlock(0, rel, ForkNumber.MAIN, buffers.blockNumber(buffer), image).build());
        Page.setLsn(page, lsn);
    }

    /** log_smgrcreate. */
    void smgrCreate(RelFileLocator rel) {
        if (wal != null) {
            wal.insert(SmgrRecords.create(rel, ForkNumber.MAIN));
        }
    }

    /** RelationTruncate's record, flushed before the file is cut (a cut file cannot be uncut by redo). */
    void smgrTruncate(RelFileLocator rel, long nblocks) {
        if (wal != null) {
            wal.flush(wal.insert(SmgrRecords.truncate(rel, nblocks)));
        }
    }

    /** Reads a little-endian u16 of block data. */
    static int u16(byte[] data, int at) {
        return (data[at] & 0xff) | (data[at + 1] & 0xff) << 8;
    }

    static ByteOrder order() {
        return ByteOrder.LITTLE_ENDIAN;
    }
}
