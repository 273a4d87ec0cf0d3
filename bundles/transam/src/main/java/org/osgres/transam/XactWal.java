/*
 * XactWal: the transaction manager's WAL records (PostgreSQL: access/transam/xact.c
 * XactLogCommitRecord, XactLogAbortRecord; access/xact.h xl_xact_commit, xl_xact_abort).
 *
 * XLOG_XACT_COMMIT (0x00) and XLOG_XACT_ABORT (0x20) of the Transaction resource manager
 * (RM_XACT_ID), with the xid in the record header and as main data xl_xact_commit's only field
 * osgres fills, xact_time (TimestampTz: microseconds since 2000-01-01, little-endian). No
 * subtransactions, relation drops or invalidations are logged (osgres has none to log yet).
 *
 * Without WAL (unit tests of the transaction manager alone) nothing is logged and LSNs are 0.
 *
 * Entry points: logCommit(), logAbort(), flush(), flushAsync(), timeOf().
 * See also: TransactionState.recordTransactionCommit; XactRedo -- the replay.
 */
package org.osgres.transam;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.osgres.api.wal.WalInsert;
import org.osgres.api.wal.WalRecord;

final class XactWal {
    /** XLOG_XACT_COMMIT. */
    static final int XLOG_XACT_COMMIT = 0x00;
    /** XLOG_XACT_ABORT. */
    static final int XLOG_XACT_ABORT = 0x20;
    /** Seconds from 1970-01-01 to 2000-01-01 (PostgreSQL: POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE days). */
    static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;

    private final WalInsert wal;

    XactWal(WalInsert wal) {
        this.wal = wal;
    }

    long logCommit(int xid) {
        return log(XLOG_XACT_COMMIT, xid);
    }

    long logAbort(int xid) {
        return log(XLOG_XACT_ABORT, xid);
    }

    private long log(int info, int xid) {
        if (wal == null) {
            return 0;
        }
        long now = System.currentTimeMillis() * 1000 - POSTGRES_EPOCH_SECONDS * 1_000_000L;
        byte[] data = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(now).array();
        return wal.insert(WalRecord.builder(WalRecord.RM_XACT_ID, info).xid(xid).mainData(data).build());
    }

    /** DELAY_CHKPT_START around the commit record and the commit log (none without WAL). */
    WalInsert.CheckpointDelay delayCheckpoint() {
        return wal == null ? () -> {
        } : wal.delayCheckpointStart();
    }

    void flush(long lsn) {
        if (wal != null) {
            wal.flush(lsn);
        }
    }

    void flushAsync(long lsn) {
        if (wal != null) {
            wal.flushAsync(lsn);
        }
    }

    /** A commit or abort record's xact_time. */
    static long timeOf(WalRecord record) {
        byte[] d = record.mainData();
        return d.length >= 8 ? ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN).getLong(0) : 0;
    }
}
