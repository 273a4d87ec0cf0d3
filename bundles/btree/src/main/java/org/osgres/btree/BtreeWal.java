/*
 * BtreeWal: the btree's WAL records (PostgreSQL: access/nbtree/nbtinsert.c's XLogInsert calls in
 * _bt_insertonpg, _bt_split, _bt_newroot; nbtpage.c _bt_delitems_vacuum, _bt_delitems_delete;
 * nbtsort.c's log_newpage of built pages; access/nbtxlog.h).
 *
 * Record kinds are PostgreSQL's info codes of RM_BTREE_ID:
 * <pre>
 *   XLOG_BTREE_INSERT_LEAF / _UPPER  block 0 data: offnum u16, the item   (redo: insertItem)
 *   XLOG_BTREE_SPLIT_L               images of the left half, the new right half, the old right
 *                                    sibling (its btpo_prev), forced: redo restores them
 *   XLOG_BTREE_NEWROOT               images of the new root and the metapage
 *   XLOG_BTREE_VACUUM                block 0 data: the deleted offsets, u16 each (redo: deleteItems)
 *   XLOG_BTREE_DELETE                the same, for LP_DEAD items removed before a split
 * </pre>
 * Both deletions clear BTP_HAS_GARBAGE, in redo too. PostgreSQL's XLOG_BTREE_DELETE also carries
 * the newest xid removed (snapshotConflictHorizon) for hot standby conflicts; osgres has no hot
 * standby, so its record has only the offsets. LP_DEAD marks themselves are hints, not logged:
 * after redo a page may lack some, and a page image taken later may carry them; both are true.
 * Built pages and the empty metapage of a new index are XLOG_FPI records (log_newpage), the XLOG
 * resource manager's, after an XLOG_SMGR_CREATE / _TRUNCATE for the file.
 *
 * A split and the insert of its downlink into the parent are two records, as in PostgreSQL: the
 * split's left half carries BTP_INCOMPLETE_SPLIT, and the insert of the downlink clears it
 * (block 1 of XLOG_BTREE_INSERT_UPPER; the child's image in a split or new root of the parent).
 * A crash in between leaves the mark; the next write descent through the page finishes the
 * split (BtreeInsert.finishSplit); searches find the right half through the right-link meanwhile.
 *
 * Entry points: logInsert(), logImages(), logDeletedItems(), logNewPage(), smgrCreate(),
 * smgrTruncate().
 * See also: BtreeRedo -- the replay; BtreeInsert, BtreeSort, BtreeVacuum, BtreeDelete.
 */
package org.osgres.btree;

import java.nio.ByteBuffer;

import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.wal.SmgrRecords;
import org.osgres.api.wal.WalInsert;
import org.osgres.api.wal.WalRecord;

final class BtreeWal {
    static final int XLOG_BTREE_INSERT_LEAF = 0x00;
    static final int XLOG_BTREE_INSERT_UPPER = 0x10;
    static final int XLOG_BTREE_SPLIT_L = 0x30;
    static final int XLOG_BTREE_VACUUM = 0xC0;
    static final int XLOG_BTREE_DELETE = 0xD0;
    static final int XLOG_BTREE_NEWROOT = 0xA0;

    private final WalInsert wal;
    private final BufferManager buffers;

    BtreeWal(WalInsert wal, BufferManager buffers) {
        this.wal = wal;
        this.buffers = buffers;
    }

    /** XLOG_BTREE_INSERT_LEAF / _UPPER for the item just put at offnum of the locked page. */
    void logInsert(RelFileLocator rel, int buffer, int offnum, byte[] item, boolean leaf) {
        logInsert(rel, buffer, offnum, item, leaf, 0);
    }

    /**
     * As above; {@code childBuf}, when not 0, is the left half of the split below whose
     * BTP_INCOMPLETE_SPLIT mark this insert of its downlink cleared (block 1, as PostgreSQL's
     * XLOG_BTREE_INSERT_UPPER): redo clears it too.
     */
    void logInsert(RelFileLocator rel, int buffer, int offnum, byte[] item, boolean leaf, int childBuf) {
        if (wal == null) {
            return;
        }
        byte[] data = new byte[2 + item.length];
        data[0] = (byte) offnum;
        data[1] = (byte) (offnum >>> 8);
        System.arraycopy(item, 0, data, 2, item.length);
        ByteBuffer page = buffers.page(buffer);
        WalRecord.Builder b = WalRecord.builder(WalRecord.RM_BTREE_ID, leaf ? XLOG_BTREE_INSERT_LEAF : XLOG_BTREE_INSERT_UPPER)
                .block(0, rel, ForkNumber.MAIN, buffers.blockNumber(buffer), page, data);
        if (childBuf != 0) {
            b.block(1, rel, ForkNumber.MAIN, buffers.blockNumber(childBuf), buffers.page(childBuf));
        }
        long lsn = wal.insert(b.build());
        Page.setLsn(page, lsn);
        if (childBuf != 0) {
            Page.setLsn(buffers.page(childBuf), lsn);
        }
    }

    /**
     * XLOG_BTREE_VACUUM or XLOG_BTREE_DELETE ({@code info}): the offsets deleteItems just removed
     * from the locked page.
     */
    void logDeletedItems(RelFileLocator rel, int info, int buffer, int[] offsets, int n) {
        if (wal == null) {
            return;
        }
        byte[] data = new byte[2 * n];
        for (int i = 0; i < n; i++) {
            data[2 * i] = (byte) offsets[i];
            data[2 * i + 1] = (byte) (offsets[i] >>> 8);
        }
        ByteBuffer page = buffers.page(buffer);
        long lsn = wal.insert(WalRecord.builder(WalRecord.RM_BTREE_ID, info)
                .block(0, rel, ForkNumber.MAIN, buffers.blockNumber(buffer), page, data).build());
        Page.setLsn(page, lsn);
    }

    /** A record with forced images of the locked buffers (0 entries skipped); their pages stamped. */
    void logImages(RelFileLocator rel, int info, int... bufs) {
        if (wal == null) {
            return;
        }
        WalRecord.Builder b = WalRecord.builder(WalRecord.RM_BTREE_ID, info);
        int id = 0;
        for (int buf : bufs) {
            if (buf != 0) {
                b.imageBlock(id++, rel, ForkNumber.MAIN, buffers.blockNumber(buf), imageOf(buffers.page(buf)));
            }
        }
        long lsn = wal.insert(b.build());
        for (int buf : bufs) {
            if (buf != 0) {
                Page.setLsn(buffers.page(buf), lsn);
            }
        }
    }

    /** log_newpage: an XLOG_FPI of the locked buffer's page, stamped. */
    void logNewPage(RelFileLocator rel, int buffer) {
        if (wal == null) {
            return;
        }
        ByteBuffer page = buffers.page(buffer);
        long lsn = wal.insert(WalRecord.builder(WalRecord.RM_XLOG_ID, WalRecord.XLOG_FPI)
                .imageBlock(0, rel, ForkNumber.MAIN, buffers.blockNumber(buffer), imageOf(page)).build());
        Page.setLsn(page, lsn);
    }

    void smgrCreate(RelFileLocator rel) {
        if (wal != null) {
            wal.insert(SmgrRecords.create(rel, ForkNumber.MAIN));
        }
    }

    void smgrTruncate(RelFileLocator rel, long nblocks) {
        if (wal != null) {
            wal.flush(wal.insert(SmgrRecords.truncate(rel, nblocks)));
        }
    }

    private static byte[] imageOf(ByteBuffer page) {
        byte[] image = new byte[Page.SIZE];
        page.get(0, image);
        return image;
    }

    static int u16(byte[] data, int at) {
        return (data[at] & 0xff) | (data[at + 1] & 0xff) << 8;
    }
}
