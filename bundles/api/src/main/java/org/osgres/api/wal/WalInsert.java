package org.osgres.api.wal;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Writing the WAL (PostgreSQL: XLogInsert in xloginsert.c, XLogFlush, XLogSetAsyncXactLSN,
 * RequestXLogSwitch in xlog.c). LSNs are XLogRecPtr: byte positions in the WAL stream, page
 * headers included; {@link #formatLsn} prints them as PostgreSQL does ("0/16B3F48").
 *
 * <p>The usual pattern of a change to a data page, as in PostgreSQL:
 * <pre>
 *   lock the buffer exclusively; change the page; markDirty
 *   long lsn = wal.insert(WalRecord.builder(RM_HEAP_ID, XLOG_HEAP_INSERT).xid(xid)
 *           .block(0, rel, fork, blkno, page).mainData(xlrec).build());
 *   Page.setLsn(page, lsn); unlock
 * </pre>
 * and at commit: {@code wal.flush(commitLsn)} (synchronous_commit on) or
 * {@code wal.flushAsync(commitLsn)} (off; the WAL writer flushes within wal_writer_delay).
 *
 * <p>Full-page images: a block reference built with {@link WalRecord.Builder#block} with the
 * page's bytes gets a full-page image when full_page_writes is on and the page was not changed
 * since the last checkpoint's redo point ({@link #needsFullPageImage}); insert decides this
 * under the insertion lock, so a concurrent checkpoint cannot slip between decision and insert.
 */
@ProviderType
public interface WalInsert extends WalFlush {

    /**
     * Inserts a record into the WAL buffers (PostgreSQL: XLogInsert) and returns the LSN just
     * past its end, the value to stamp on the pages it changed and to flush for a commit.
     *
     * @throws org.osgres.api.error.PgException XX000 "cannot make new WAL entries during recovery"
     *         before startup recovery is over
     */
    long insert(WalRecord record);

    /** The current insert position: where the next record would go (pg_current_wal_insert_lsn). */
    long insertLsn();

    /** How far WAL has been handed to the kernel (pg_current_wal_lsn: the write position). */
    long writtenUpTo();

    /**
     * An asynchronous commit's record (PostgreSQL: XLogSetAsyncXactLSN): no wait; the WAL writer
     * makes it durable within wal_writer_delay (three times it at worst, as PostgreSQL).
     */
    void flushAsync(long lsn);

    /**
     * Ends the current segment (PostgreSQL: pg_switch_wal, RequestXLogSwitch): inserts an
     * XLOG_SWITCH record and flushes the segment. Returns the end of the switch record, or the
     * insert position when the segment holds no record yet (then nothing is switched).
     */
    long switchSegment();

    /** The segment file holding the byte before {@code lsn} (PostgreSQL: pg_walfile_name). */
    String walFileName(long lsn);

    /** The timeline WAL is written on (PostgreSQL: ThisTimeLineID); always 1 for now. */
    int timeline();

    /** The redo point of the last checkpoint (PostgreSQL: RedoRecPtr). */
    long redoPointer();

    /**
     * What global/pg_control holds now: the last checkpoint's location, redo point, nextXid and
     * nextOid, and the cluster state (PostgreSQL: ControlFile in shared memory).
     *
     * @since 1.3
     */
    ControlFileData controlFile();

    /**
     * Whether a change to a page whose pd_lsn is {@code pageLsn} must log a full-page image:
     * full_page_writes is on and the page was last changed at or before the redo pointer.
     */
    boolean needsFullPageImage(long pageLsn);

    /**
     * The start of an online checkpoint (PostgreSQL: CreateCheckPoint taking RedoRecPtr): the
     * redo pointer moves to the current insert position, so from now on the first change to each
     * page logs a full-page image again; then it waits for the commits that hold a
     * {@link #delayCheckpointStart} taken before. Returns the new redo point, to pass to
     * {@link #writeCheckpointRecord} once the dirty pages are written.
     */
    long startCheckpoint();

    /**
     * Writes a checkpoint record (PostgreSQL: the end of CreateCheckPoint): inserts
     * XLOG_CHECKPOINT_SHUTDOWN or XLOG_CHECKPOINT_ONLINE with this redo point, flushes it and
     * updates global/pg_control (checkPoint, checkPointCopy, state: shut down for a shutdown
     * checkpoint, in production otherwise). The caller has written every dirty page and SLRU
     * page first. Returns the checkpoint record's start LSN.
     *
     * @param redoLsn  where redo must start: the insert position when the checkpoint began
     *                 (for a shutdown checkpoint, the current insert position)
     * @param nextXid  the next transaction id to assign
     * @param nextOid  the next OID to assign
     */
    long writeCheckpointRecord(long redoLsn, int nextXid, int nextOid, boolean shutdown);

    /**
     * Whether startup recovery is still replaying (PostgreSQL: RecoveryInProgress()): no record
     * but the XLOG manager's may be inserted then; redo routines that share code with the normal
     * path (the commit log's page zeroing) use it to skip logging.
     *
     * @since 1.3
     */
    default boolean recoveryInProgress() {
        return false;
    }

    /**
     * Keeps a checkpoint from starting its work (PostgreSQL: MyProc-&gt;delayChkptFlags |=
     * DELAY_CHKPT_START in RecordTransactionCommit) until the returned delay is closed: taken
     * before a commit record is inserted and closed once the commit log has the commit.
     * {@link #startCheckpoint} waits for every delay taken before it moved the redo pointer, so
     * a commit record older than the redo point always has its commit-log bit in the commit log
     * the checkpoint writes.
     *
     * @since 1.3
     */
    default CheckpointDelay delayCheckpointStart() {
        return () -> {
        };
    }

    /** A delay of {@link #delayCheckpointStart}; closing it twice does nothing more. */
    @FunctionalInterface
    interface CheckpointDelay extends AutoCloseable {
        @Override
        void close();
    }

    /** "%X/%X" as PostgreSQL prints an LSN. */
    static String formatLsn(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xffffffffL).toUpperCase();
    }
}
