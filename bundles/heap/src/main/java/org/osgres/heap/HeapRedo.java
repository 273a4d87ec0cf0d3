/*
 * HeapRedo: redo of the Heap and Heap2 resource managers (PostgreSQL: access/heap/heapam.c
 * heap_redo, heap2_redo, heap_xlog_insert, heap_xlog_update, heap_xlog_delete, heap_xlog_lock,
 * heap_xlog_prune; rmgrdesc/heapdesc.c).
 *
 * One component per resource manager id (the WAL finds redo by rmgr id): the Heap records apply
 * their blocks' page operations (HeapWal.Ops) at the logged line pointer offsets, on a page
 * initialised first for a block redo rebuilds (XLOG_HEAP_INIT_PAGE); Heap2 records carry page
 * images, restored by RedoBuffers. A block whose page already has the change (pd_lsn at or past
 * the record), or that a later truncation removed, is left alone.
 *
 * Redo components reference only RedoBuffers (the wal bundle over the buffer manager): nothing
 * that waits for recovery.
 *
 * Entry points: redo(), describe(); Heap2 is the nested Heap2Redo.
 * See also: HeapWal -- the records.
 */
package org.osgres.heap;

import java.nio.ByteBuffer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.buffer.Page;
import org.osgres.api.wal.RedoBuffers;
import org.osgres.api.wal.WalRecord;
import org.osgres.api.wal.WalRedo;

@Component(service = WalRedo.class)
public final class HeapRedo implements WalRedo {
    private final RedoBuffers rb;

    @Activate
    public HeapRedo(@Reference RedoBuffers rb) {
        this.rb = rb;
    }

    @Override
    public int rmgrId() {
        return WalRecord.RM_HEAP_ID;
    }

    @Override
    public String rmgrName() {
        return "Heap";
    }

    @Override
    public void redo(WalRecord record, long startLsn, long lsn) {
        for (WalRecord.BlockReference b : record.blocks()) {
            RedoBuffers.Result r;
            if (b.willInit()) {
                r = rb.initBufferForRedo(record, b.id());
                Page.init(r.page(), 0);
            } else {
                r = rb.readBufferForRedo(record, b.id(), lsn);
            }
            if (r.action() == RedoBuffers.Action.NEEDS_REDO) {
                apply(r.page(), b.data());
                rb.finish(r, lsn);
            } else {
                rb.release(r);
            }
        }
    }

    /** Applies a block's page operations in order. */
    static void apply(ByteBuffer page, byte[] data) {
        if (data == null) {
            return;
        }
        int at = 0;
        while (at < data.length) {
            int op = data[at++];
            int offnum = HeapWal.u16(data, at);
            at += 2;
            switch (op) {
                case HeapWal.OP_PUT -> {
                    int len = HeapWal.u16(data, at);
                    at += 2;
                    byte[] tuple = new byte[len];
                    System.arraycopy(data, at, tuple, 0, len);
                    at += len;
                    HeapPages.addItemAt(page, offnum, tuple);
                }
                case HeapWal.OP_HEADER -> {
                    int id = Page.itemId(page, offnum);
                    if (Page.itemFlags(id) != Page.LP_NORMAL) {
                        throw new IllegalStateException("heap redo: no tuple at offset " + offnum);
                    }
                    page.put(Page.itemOffset(id), data, at, HeapWal.HEADER_BYTES);
                    at += HeapWal.HEADER_BYTES;
                }
                case HeapWal.OP_PRUNE -> {
                    int hi = HeapWal.u16(data, at);
                    at += 2;
                    Page.setPruneXid(page, offnum | hi << 16); // the first u16 was the low half
                }
                default -> throw new IllegalStateException("heap redo: unknown page operation " + op);
            }
        }
    }

    @Override
    public String describe(WalRecord record) {
        String kind = switch (record.rmgrInfo() & ~HeapWal.XLOG_HEAP_INIT_PAGE) {
            case HeapWal.XLOG_HEAP_INSERT -> "INSERT";
            case HeapWal.XLOG_HEAP_DELETE -> "DELETE";
            case HeapWal.XLOG_HEAP_UPDATE -> "UPDATE";
            case HeapWal.XLOG_HEAP_LOCK -> "LOCK";
            default -> "UNKNOWN";
        };
        return (record.rmgrInfo() & HeapWal.XLOG_HEAP_INIT_PAGE) != 0 ? kind + "+INIT" : kind;
    }

    /** heap2_redo: PRUNE and VACUUM, whole-page images. */
    @Component(service = WalRedo.class)
    public static final class Heap2Redo implements WalRedo {
        private final RedoBuffers rb;

        @Activate
        public Heap2Redo(@Reference RedoBuffers rb) {
            this.rb = rb;
        }

        @Override
        public int rmgrId() {
            return WalRecord.RM_HEAP2_ID;
        }

        @Override
        public String rmgrName() {
            return "Heap2";
        }

        @Override
        public void redo(WalRecord record, long startLsn, long lsn) {
            for (WalRecord.BlockReference b : record.blocks()) {
                RedoBuffers.Result r = rb.readBufferForRedo(record, b.id(), lsn);
                if (r.action() == RedoBuffers.Action.NEEDS_REDO) {
                    throw new IllegalStateException("heap2 redo: record without a page image: " + record);
                }
                rb.release(r);
            }
        }

        @Override
        public String describe(WalRecord record) {
            return record.rmgrInfo() == HeapWal.XLOG_HEAP2_PRUNE ? "PRUNE" : "VACUUM";
        }
    }
}
