/*
 * XactRedo: the Transaction resource manager's redo (PostgreSQL: access/transam/xact.c
 * xact_redo, xact_redo_commit, xact_redo_abort; rmgrdesc/xactdesc.c).
 *
 * A commit record marks its xid COMMITTED in the commit log, an abort record ABORTED. Commit log
 * pages are written at checkpoints, so after a crash the status of every transaction that ended
 * after the last checkpoint's redo point comes from here. Transactions with neither record were
 * running at the crash: they stay IN_PROGRESS in the commit log and, no longer running, count as
 * aborted; the transaction manager's start marks them ABORTED (VarSup.startup). Redo of a record
 * carrying an xid advances the next xid past it (the wal bundle's StartupXLog does that for every
 * record).
 *
 * A record that lists relations (xl_xact_relfilenodes: dropped by a committed DROP or TRUNCATE,
 * created by an aborted CREATE) has their buffers forgotten and their files removed once the
 * status is set (xact_redo_commit's DropRelationsAllBuffers and smgrdounlinkall): the WAL before
 * the record may have made the files again, since redo recreates a missing file it writes to.
 *
 * A component of its own, with no reference to the transaction manager, so that recovery can
 * use it while nothing else is up.
 *
 * Entry points: redo(), describe().
 * See also: XactWal -- the records; TransactionState.recordTransactionCommit.
 */
package org.osgres.transam;

import java.time.Instant;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.clog.CommitLog;
import org.osgres.api.clog.XidStatus;
import org.osgres.api.error.PgException;
import org.osgres.api.wal.WalRecord;
import org.osgres.api.wal.WalRedo;

@Component(service = WalRedo.class)
public final class XactRedo implements WalRedo {
    private static final int[] NO_SUBXIDS = {};
    private final CommitLog clog;
    private final BufferManager buffers;

    @Activate
    public XactRedo(@Reference CommitLog clog, @Reference BufferManager buffers) {
        this.clog = clog;
        this.buffers = buffers;
    }

    @Override
    public int rmgrId() {
        return WalRecord.RM_XACT_ID;
    }

    @Override
    public String rmgrName() {
        return "Transaction";
    }

    @Override
    public void redo(WalRecord record, long startLsn, long lsn) {
        int xid = record.xid();
        switch (XactWal.opcode(record)) {
            case XactWal.XLOG_XACT_COMMIT -> setStatus(xid, XidStatus.COMMITTED);
            case XactWal.XLOG_XACT_ABORT -> setStatus(xid, XidStatus.ABORTED);
            default -> throw new IllegalStateException("xact_redo: unknown op code " + record.rmgrInfo());
        }
        for (RelFileLocator rel : XactWal.droppedRelations(record)) {
            buffers.dropRelation(rel);
        }
    }

    /** TransactionIdCommitTree / TransactionIdAbortTree; a page never zeroed (its ZEROPAGE before the redo point, its file lost) is zeroed first. */
    private void setStatus(int xid, XidStatus status) {
        try {
            clog.status(xid);
        } catch (PgException e) {
            clog.extend(xid - Integer.remainderUnsigned(xid, CommitLog.XACTS_PER_PAGE));
        }
        clog.setTreeStatus(xid, NO_SUBXIDS, status, 0);
    }

    @Override
    public String describe(WalRecord record) {
        long micros = XactWal.timeOf(record);
        Instant t = Instant.ofEpochSecond(XactWal.POSTGRES_EPOCH_SECONDS).plusNanos(micros * 1000);
        StringBuilder b = new StringBuilder(XactWal.opcode(record) == XactWal.XLOG_XACT_COMMIT ? "COMMIT " : "ABORT ")
                .append(t);
        List<RelFileLocator> rels = XactWal.droppedRelations(record);
        if (!rels.isEmpty()) {
            b.append("; rels:");
            for (RelFileLocator r : rels) {
                b.append(' ').append(r);
            }
        }
        return b.toString();
    }
}
