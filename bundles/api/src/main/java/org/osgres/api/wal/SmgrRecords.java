package org.osgres.api.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.RelFileLocator;

/**
 * The storage manager's WAL records (PostgreSQL: catalog/storage_xlog.h, xl_smgr_create and
 * xl_smgr_truncate): the access methods write them when they create or truncate a relation's
 * storage, the buffer manager bundle's redo replays them, so that redo re-creates a file before
 * applying records to it and cuts a file that was cut.
 *
 * <p>Main data, little-endian: xl_smgr_create {RelFileNode rnode (spcNode, dbNode, relNode);
 * ForkNumber forkNum}; xl_smgr_truncate {BlockNumber blkno; RelFileNode rnode; int flags}, with
 * SMGR_TRUNCATE_HEAP set for the main fork.
 *
 * @since 1.3
 */
public final class SmgrRecords {
    /** XLOG_SMGR_CREATE. */
    public static final int XLOG_SMGR_CREATE = 0x10;
    /** XLOG_SMGR_TRUNCATE. */
    public static final int XLOG_SMGR_TRUNCATE = 0x20;
    /** SMGR_TRUNCATE_HEAP: the main fork is cut. */
    public static final int SMGR_TRUNCATE_HEAP = 0x0001;

    private SmgrRecords() {
    }

    /** log_smgrcreate. */
    public static WalRecord create(RelFileLocator rel, ForkNumber fork) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(rel.spcOid()).putInt(rel.dbOid()).putInt(rel.relNumber()).putInt(fork.ordinal());
        return WalRecord.builder(WalRecord.RM_SMGR_ID, XLOG_SMGR_CREATE).mainData(b.array()).build();
    }

    /** The truncation of the main fork to {@code nblocks} blocks (RelationTruncate's record). */
    public static WalRecord truncate(RelFileLocator rel, long nblocks) {
        ByteBuffer b = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt((int) nblocks).putInt(rel.spcOid()).putInt(rel.dbOid()).putInt(rel.relNumber())
                .putInt(SMGR_TRUNCATE_HEAP);
        return WalRecord.builder(WalRecord.RM_SMGR_ID, XLOG_SMGR_TRUNCATE).mainData(b.array()).build();
    }

    /** The relation a create or truncate record names. */
    public static RelFileLocator relation(WalRecord record) {
        ByteBuffer b = ByteBuffer.wrap(record.mainData()).order(ByteOrder.LITTLE_ENDIAN);
        int at = record.rmgrInfo() == XLOG_SMGR_CREATE ? 0 : 4;
        return new RelFileLocator(b.getInt(at), b.getInt(at + 4), b.getInt(at + 8));
    }

    /** A create record's fork. */
    public static ForkNumber fork(WalRecord record) {
        return ForkNumber.values()[ByteBuffer.wrap(record.mainData()).order(ByteOrder.LITTLE_ENDIAN).getInt(12)];
    }

    /** A truncate record's new length in blocks. */
    public static long truncateBlocks(WalRecord record) {
        return Integer.toUnsignedLong(ByteBuffer.wrap(record.mainData()).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
    }
}
