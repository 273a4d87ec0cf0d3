/*
 * BtreeRedo: redo of the Btree resource manager (PostgreSQL: access/nbtree/nbtxlog.c btree_redo,
 * btree_xlog_insert, btree_xlog_split, btree_xlog_newroot, btree_xlog_vacuum, btree_xlog_delete;
 * rmgrdesc/nbtdesc.c).
 *
 * Inserts put the item at the logged offset; VACUUM and the deletion of LP_DEAD items delete the
 * logged offsets and clear BTP_HAS_GARBAGE; splits and new roots carry images of every page they
 * touched, which RedoBuffers restores. A page already at or past the record's LSN is left alone.
 *
 * Entry points: redo(), describe().
 * See also: BtreeWal -- the records.
 */
package org.osgres.btree;

import java.nio.ByteBuffer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.wal.RedoBuffers;
import org.osgres.api.wal.WalRecord;
import org.osgres.api.wal.WalRedo;

@Component(service = WalRedo.class)
public final class BtreeRedo implements WalRedo {
    private final RedoBuffers rb;

    @Activate
    public BtreeRedo(@Reference RedoBuffers rb) {
        this.rb = rb;
    }

    @Override
    public int rmgrId() {
        return WalRecord.RM_BTREE_ID;
    }

    @Override
    public String rmgrName() {
        return "Btree";
    }

    @Override
    public void redo(WalRecord record, long startLsn, long lsn) {
        for (WalRecord.BlockReference b : record.blocks()) {
            RedoBuffers.Result r = rb.readBufferForRedo(record, b.id(), lsn);
            if (r.action() != RedoBuffers.Action.NEEDS_REDO) {
                rb.release(r);
                continue;
            }
            try {
                apply(record.rmgrInfo(), b.id(), r.page(), b.data());
            } catch (RuntimeException e) {
                rb.release(r);
                throw e;
            }
            rb.finish(r, lsn);
        }
    }

    private static void apply(int info, int blockId, ByteBuffer page, byte[] data) {
        if (info == BtreeWal.XLOG_BTREE_INSERT_UPPER && blockId == 1) {
            // the child whose split this downlink completes
            BtreePage.setFlags(page, BtreePage.flags(page) & ~BtreePage.BTP_INCOMPLETE_SPLIT);
            return;
        }
        switch (info) {
            case BtreeWal.XLOG_BTREE_INSERT_LEAF, BtreeWal.XLOG_BTREE_INSERT_UPPER -> {
                int offnum = BtreeWal.u16(data, 0);
                byte[] item = new byte[data.length - 2];
                System.arraycopy(data, 2, item, 0, item.length);
                BtreePage.insertItem(page, offnum, item);
            }
            case BtreeWal.XLOG_BTREE_VACUUM, BtreeWal.XLOG_BTREE_DELETE -> {
                int n = data.length / 2;
                int[] offsets = new int[n];
                for (int i = 0; i < n; i++) {
                    offsets[i] = BtreeWal.u16(data, 2 * i);
                }
                BtreePage.deleteItems(page, offsets, n);
                BtreePage.setFlags(page, BtreePage.flags(page) & ~BtreePage.BTP_HAS_GARBAGE);
            }
            default -> throw new IllegalStateException("btree_redo: record 0x" + Integer.toHexString(info)
                    + " without the page image it needs");
        }
    }

    @Override
    public String describe(WalRecord record) {
        return switch (record.rmgrInfo()) {
            case BtreeWal.XLOG_BTREE_INSERT_LEAF -> "INSERT_LEAF";
            case BtreeWal.XLOG_BTREE_INSERT_UPPER -> "INSERT_UPPER";
            case BtreeWal.XLOG_BTREE_SPLIT_L -> "SPLIT_L";
            case BtreeWal.XLOG_BTREE_NEWROOT -> "NEWROOT";
            case BtreeWal.XLOG_BTREE_VACUUM -> "VACUUM";
            case BtreeWal.XLOG_BTREE_DELETE -> "DELETE";
            default -> "UNKNOWN";
        };
    }
}
