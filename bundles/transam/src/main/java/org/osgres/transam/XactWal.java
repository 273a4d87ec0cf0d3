/*
 * XactWal: the transaction manager's WAL records (PostgreSQL: access/transam/xact.c
 * XactLogCommitRecord, XactLogAbortRecord; access/xact.h xl_xact_commit, xl_xact_abort).
 *
 * XLOG_XACT_COMMIT (0x00) and XLOG_XACT_ABORT (0x20) of the Transaction resource manager
 * (RM_XACT_ID), with the xid in the record header. Main data, little-endian, in PostgreSQL's
 * layout: xl_xact_commit/xl_xact_abort {TimestampTz xact_time (microseconds since 2000-01-01)};
 * then, when the info has XLOG_XACT_HAS_INFO, xl_xact_xinfo {uint32 xinfo}; then, with
 * XACT_XINFO_HAS_RELFILENODES, xl_xact_relfilenodes {int nrels; RelFileNode xnodes[nrels]} (each
 * spcNode, dbNode, relNode): the relations whose files the transaction's end removes, which redo
 * removes again. No subtransactions or invalidations are logged (osgres has none to log yet).
 *
 * Without WAL (unit tests of the transaction manager alone) nothing is logged and LSNs are 0.
 *
 * Entry points: logCommit(), logAbort(), flush(), flushAsync(), timeOf(), opcode(), droppedRelations().
 * See also: TransactionState.recordTransactionCommit; XactRedo -- the replay.
 */
package org.osgres.transam;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.wal.WalInsert;
import org.osgres.api.wal.WalRecord;

final class XactWal {
    /** XLOG_XACT_COMMIT. */
    static final int XLOG_XACT_COMMIT = 0x00;
    /** XLOG_XACT_ABORT. */
    static final int XLOG_XACT_ABORT = 0x20;
    /** XLOG_XACT_OPMASK: the op code bits of the info. */
    static final int XLOG_XACT_OPMASK = 0x70;
    /** XLOG_XACT_HAS_INFO: an xl_xact_xinfo follows xact_time. */
    static final int XLOG_XACT_HAS_INFO = 0x80;
    /** XACT_XINFO_HAS_RELFILENODES: xl_xact_relfilenodes follows. */
    static final int XACT_XINFO_HAS_RELFILENODES = 1 << 2;
    /** Seconds from 1970-01-01 to 2000-01-01 (PostgreSQL: POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE days). */
    static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;

    private final WalInsert wal;

    XactWal(WalInsert wal) {
        this.wal = wal;
    }

    long logCommit(int xid, List<RelFileLocator> dropped) {
        return log(XLOG_XACT_COMMIT, xid, dropped);
    }

    long logAbort(int xid, List<RelFileLocator> dropped) {
        return log(XLOG_XACT_ABORT, xid, dropped);
    }

    private long log(int info, int xid, List<RelFileLocator> dropped) {
        if (wal == null) {
            return 0;
        }
        long now = System.currentTimeMillis() * 1000 - POSTGRES_EPOCH_SECONDS * 1_000_000L;
        boolean rels = !dropped.isEmpty();
        ByteBuffer data = ByteBuffer.allocate(8 + (rels ? 8 + 12 * dropped.size() : 0)).order(ByteOrder.LITTLE_ENDIAN);
        data.putLong(now);
        if (rels) {
            info |= XLOG_XACT_HAS_INFO;
            data.putInt(XACT_XINFO_HAS_RELFILENODES).putInt(dropped.size());
            for (RelFileLocator r : dropped) {
                data.putInt(r.spcOid()).putInt(r.dbOid()).putInt(r.relNumber());
            }
        }
        return wal.insert(WalRecord.builder(WalRecord.RM_XACT_ID, info).xid(xid).mainData(data.array()).build());
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

    /** XLOG_XACT_COMMIT or XLOG_XACT_ABORT, without the HAS_INFO bit. */
    static int opcode(WalRecord record) {
        return record.rmgrInfo() & XLOG_XACT_OPMASK;
    }

    /** The relations listed in a commit or abort record (ParseCommitRecord's xnodes); none when absent. */
    static List<RelFileLocator> droppedRelations(WalRecord record) {
        if ((record.rmgrInfo() & XLOG_XACT_HAS_INFO) == 0) {
            return List.of();
        }
        ByteBuffer d = ByteBuffer.wrap(record.mainData()).order(ByteOrder.LITTLE_ENDIAN);
        int xinfo = d.getInt(8);
        if ((xinfo & XACT_XINFO_HAS_RELFILENODES) == 0) {
            return List.of();
        }
        int n = d.getInt(12);
        List<RelFileLocator> rels = new ArrayList<>(n);
        for (int i = 0, at = 16; i < n; i++, at += 12) {
            rels.add(new RelFileLocator(d.getInt(at), d.getInt(at + 4), d.getInt(at + 8)));
        }
        return rels;
    }

    /** A commit or abort record's xact_time. */
    static long timeOf(WalRecord record) {
        byte[] d = record.mainData();
        return d.length >= 8 ? ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN).getLong(0) : 0;
    }
}
