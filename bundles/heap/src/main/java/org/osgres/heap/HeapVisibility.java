/*
 * HeapVisibility: which tuple versions a snapshot sees, and what an update may do to one
 * (PostgreSQL: access/heap/heapam_visibility.c, without MultiXacts and the old VACUUM FULL's
 * moved tuples).
 *
 * The commit log is the authority on committed and aborted; hint bits in t_infomask save the
 * look-ups. A check that learns from the commit log that xmin or xmax committed or aborted sets
 * HEAP_XMIN_COMMITTED / HEAP_XMIN_INVALID / HEAP_XMAX_COMMITTED / HEAP_XMAX_INVALID on the page
 * (SetHintBits) and tells the caller, which marks the buffer dirty as a hint (MarkBufferDirtyHint).
 * Callers hold at least a share content lock; hint bits are set under it, as PostgreSQL does.
 *
 * The rules of HeapTupleSatisfiesMVCC, case by case (the tuple's xmin, then its xmax):
 *   xmin aborted                                         -> invisible
 *   xmin is the own transaction, cmin >= curcid          -> invisible (inserted after the scan began)
 *   xmin own, xmax none or lock only                      -> visible
 *   xmin own, xmax own, cmax >= curcid                    -> visible (deleted after the scan began)
 *   xmin own, xmax own, cmax < curcid                     -> invisible
 *   xmin running for the snapshot                         -> invisible
 *   xmin committed before the snapshot, xmax none/aborted/lock only -> visible
 *   ... xmax own (cmax as above), xmax running for the snapshot -> visible
 *   ... xmax committed before the snapshot                -> invisible
 *
 * Entry points: satisfiesMvcc(), satisfiesUpdate(), satisfiesDirty(), satisfiesVacuum(),
 * satisfiesVacuumHorizon().
 * See also: HeapAccessMethod; HeapTupleHeader.
 */
package org.osgres.heap;

import static org.osgres.heap.HeapTupleHeader.HEAP_COMBOCID;
import static org.osgres.heap.HeapTupleHeader.HEAP_XMAX_COMMITTED;
import static org.osgres.heap.HeapTupleHeader.HEAP_XMAX_INVALID;
import static org.osgres.heap.HeapTupleHeader.HEAP_XMIN_COMMITTED;
import static org.osgres.heap.HeapTupleHeader.HEAP_XMIN_FROZEN;
import static org.osgres.heap.HeapTupleHeader.HEAP_XMIN_INVALID;
import static org.osgres.heap.HeapTupleHeader.xmaxIsLockedOnly;

import java.nio.ByteBuffer;

import org.osgres.api.buffer.Page;
import org.osgres.api.clog.XidStatus;
import org.osgres.api.heap.DirtyTuple;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.wal.WalFlush;
import org.osgres.api.xact.Snapshot;
import org.osgres.api.xact.Transaction;
import org.osgres.api.xact.TransactionIds;
import org.osgres.api.xact.TransactionManager;

final class HeapVisibility {
    /** HeapTupleSatisfiesUpdate's answers (TM_Result with TM_BeingModified). */
    enum UpdateCheck {
        OK, INVISIBLE, SELF_MODIFIED, UPDATED, DELETED, BEING_MODIFIED
    }

    /** HTSV_Result. */
    enum VacuumCheck {
        DEAD, LIVE, RECENTLY_DEAD, INSERT_IN_PROGRESS, DELETE_IN_PROGRESS
    }

    private final TransactionManager xacts;

    /** Where WAL is flushed to, for hint bits of asynchronous commits; null without WAL. */
    private final WalFlush wal;

    HeapVisibility(TransactionManager xacts) {
        this(xacts, null);
    }

    HeapVisibility(TransactionManager xacts, WalFlush wal) {
        this.xacts = xacts;
        this.wal = wal;
    }

    /**
     * SetHintBits for a committed xid: not while the xid's commit record may still be unflushed
     * (an asynchronous commit) and the page's LSN is below it, or the page could reach disk
     * saying committed for a transaction a crash then loses. Returns whether the bits were set.
     */
    private boolean setCommittedHint(ByteBuffer p, int t, int bits, int xid) {
        if (wal != null) {
            long commitLsn = xacts.commitLsn(xid);
            if (commitLsn != 0 && Long.compareUnsigned(wal.flushedUpTo(), commitLsn) < 0
                    && Long.compareUnsigned(Page.lsn(p), commitLsn) < 0) {
                return false;
            }
        }
        return setHint(p, t, bits);
    }

    private boolean didCommit(int xid) {
        return xacts.status(xid) == XidStatus.COMMITTED;
    }

    /** SetHintBits: sets the bits; returns true so callers can remember the page changed. */
    private static boolean setHint(ByteBuffer p, int t, int bits) {
        HeapTupleHeader.setInfomask(p, t, HeapTupleHeader.infomask(p, t) | bits);
        return true;
    }

    /** HeapTupleHeaderGetCmin. */
    static int cmin(ByteBuffer p, int t, Transaction tx) {
        int cid = HeapTupleHeader.rawCid(p, t);
        return (HeapTupleHeader.infomask(p, t) & HEAP_COMBOCID) != 0 ? tx.comboCmin(cid) : cid;
    }

    /** HeapTupleHeaderGetCmax. */
    static int cmax(ByteBuffer p, int t, Transaction tx) {
        int cid = HeapTupleHeader.rawCid(p, t);
        return (HeapTupleHeader.infomask(p, t) & HEAP_COMBOCID) != 0 ? tx.comboCmax(cid) : cid;
    }

    /** Command ids compare unsigned. */
    private static boolean cidAtOrAfter(int cid, int curcid) {
        return Integer.compareUnsigned(cid, curcid) >= 0;
    }

    /**
     * HeapTupleSatisfiesMVCC.
     *
     * @param hinted set to true in [0] when hint bits were set
     */
    boolean satisfiesMvcc(ByteBuffer p, int t, Snapshot snapshot, Transaction tx, boolean[] hinted) {
        int infomask = HeapTupleHeader.infomask(p, t);
        int xmin = HeapTupleHeader.xmin(p, t);
        if ((infomask & HEAP_XMIN_COMMITTED) == 0) {
            if ((infomask & HEAP_XMIN_INVALID) != 0) {
                return false;
            }
            if (tx.isCurrentXid(xmin)) {
                if (cidAtOrAfter(cmin(p, t, tx), snapshot.curcid())) {
                    return false; // inserted after scan started
                }
                if ((infomask & HEAP_XMAX_INVALID) != 0 || xmaxIsLockedOnly(infomask)) {
                    return true;
                }
                if (!tx.isCurrentXid(HeapTupleHeader.xmax(p, t))) {
                    hinted[0] |= setHint(p, t, HEAP_XMAX_INVALID); // deleting subtransaction must have aborted
                    return true;
                }
                return cidAtOrAfter(cmax(p, t, tx), snapshot.curcid()); // deleted after scan started?
            } else if (snapshot.isRunning(xmin)) {
                return false;
            } else if (didCommit(xmin)) {
                hinted[0] |= setCommittedHint(p, t, HEAP_XMIN_COMMITTED, HeapTupleHeader.xmin(p, t));
            } else {
                hinted[0] |= setHint(p, t, HEAP_XMIN_INVALID); // aborted or crashed
                return false;
            }
        } else if ((infomask & HEAP_XMIN_FROZEN) != HEAP_XMIN_FROZEN && snapshot.isRunning(xmin)) {
            return false; // committed, but not for this snapshot
        }
        infomask = HeapTupleHeader.infomask(p, t);
        if ((infomask & HEAP_XMAX_INVALID) != 0 || xmaxIsLockedOnly(infomask)) {
            return true;
        }
        int xmax = HeapTupleHeader.xmax(p, t);
        if ((infomask & HEAP_XMAX_COMMITTED) == 0) {
            if (tx.isCurrentXid(xmax)) {
                return cidAtOrAfter(cmax(p, t, tx), snapshot.curcid());
            }
            if (snapshot.isRunning(xmax)) {
                return true;
            }
            if (!didCommit(xmax)) {
                hinted[0] |= setHint(p, t, HEAP_XMAX_INVALID);
                return true;
            }
            hinted[0] |= setCommittedHint(p, t, HEAP_XMAX_COMMITTED, HeapTupleHeader.xmax(p, t));
        } else if (snapshot.isRunning(xmax)) {
            return true;
        }
        return false;
    }

    /** HeapTupleSatisfiesUpdate: may the command {@code curcid} of tx change the tuple at self? */
    UpdateCheck satisfiesUpdate(ByteBuffer p, int t, ItemPointer self, int curcid, Transaction tx, boolean[] hinted) {
        int infomask = HeapTupleHeader.infomask(p, t);
        int xmin = HeapTupleHeader.xmin(p, t);
        if ((infomask & HEAP_XMIN_COMMITTED) == 0) {
            if ((infomask & HEAP_XMIN_INVALID) != 0) {
                return UpdateCheck.INVISIBLE;
            }
            if (tx.isCurrentXid(xmin)) {
                if (cidAtOrAfter(cmin(p, t, tx), curcid)) {
                    return UpdateCheck.INVISIBLE;
                }
                if ((infomask & HEAP_XMAX_INVALID) != 0) {
                    return UpdateCheck.OK;
                }
                int xmax = HeapTupleHeader.xmax(p, t);
                if (xmaxIsLockedOnly(infomask)) {
                    return xacts.isInProgress(xmax) ? UpdateCheck.BEING_MODIFIED : UpdateCheck.OK;
                }
                if (!tx.isCurrentXid(xmax)) {
                    hinted[0] |= setHint(p, t, HEAP_XMAX_INVALID);
                    return UpdateCheck.OK;
                }
                return cidAtOrAfter(cmax(p, t, tx), curcid) ? UpdateCheck.SELF_MODIFIED : UpdateCheck.INVISIBLE;
            } else if (xacts.isInProgress(xmin)) {
                return UpdateCheck.INVISIBLE;
            } else if (didCommit(xmin)) {
                hinted[0] |= setCommittedHint(p, t, HEAP_XMIN_COMMITTED, HeapTupleHeader.xmin(p, t));
            } else {
                hinted[0] |= setHint(p, t, HEAP_XMIN_INVALID);
                return UpdateCheck.INVISIBLE;
            }
        }
        infomask = HeapTupleHeader.infomask(p, t);
        if ((infomask & HEAP_XMAX_INVALID) != 0) {
            return UpdateCheck.OK;
        }
        boolean moved = !self.equals(HeapTupleHeader.ctid(p, t));
        if ((infomask & HEAP_XMAX_COMMITTED) != 0) {
            if (xmaxIsLockedOnly(infomask)) {
                return UpdateCheck.OK;
            }
            return moved ? UpdateCheck.UPDATED : UpdateCheck.DELETED;
        }
        int xmax = HeapTupleHeader.xmax(p, t);
        if (tx.isCurrentXid(xmax)) {
            if (xmaxIsLockedOnly(infomask)) {
                return UpdateCheck.BEING_MODIFIED;
            }
            return cidAtOrAfter(cmax(p, t, tx), curcid) ? UpdateCheck.SELF_MODIFIED : UpdateCheck.INVISIBLE;
        }
        if (xacts.isInProgress(xmax)) {
            return UpdateCheck.BEING_MODIFIED;
        }
        if (!didCommit(xmax)) {
            hinted[0] |= setHint(p, t, HEAP_XMAX_INVALID);
            return UpdateCheck.OK;
        }
        if (xmaxIsLockedOnly(infomask)) {
            hinted[0] |= setHint(p, t, HEAP_XMAX_INVALID);
            return UpdateCheck.OK;
        }
        hinted[0] |= setCommittedHint(p, t, HEAP_XMAX_COMMITTED, HeapTupleHeader.xmax(p, t));
        return moved ? UpdateCheck.UPDATED : UpdateCheck.DELETED;
    }

    /**
     * HeapTupleSatisfiesDirty: whether the tuple is there for a unique check, counting the work
     * of transactions still running. Returns the kind with the xid to wait for (SnapshotDirty's
     * xmin for an insert in progress, xmax for a delete in progress); values are left for the
     * caller to fill in.
     */
    DirtyTuple.Kind satisfiesDirty(ByteBuffer p, int t, Transaction tx, int[] xwait, boolean[] hinted) {
        int infomask = HeapTupleHeader.infomask(p, t);
        int xmin = HeapTupleHeader.xmin(p, t);
        xwait[0] = 0;
        if ((infomask & HEAP_XMIN_COMMITTED) == 0) {
            if ((infomask & HEAP_XMIN_INVALID) != 0) {
                return DirtyTuple.Kind.GONE;
            }
            if (tx.isCurrentXid(xmin)) {
                if ((infomask & HEAP_XMAX_INVALID) != 0 || xmaxIsLockedOnly(infomask)) {
                    return DirtyTuple.Kind.LIVE;
                }
                if (!tx.isCurrentXid(HeapTupleHeader.xmax(p, t))) {
                    hinted[0] |= setHint(p, t, HEAP_XMAX_INVALID);
                    return DirtyTuple.Kind.LIVE;
                }
                return DirtyTuple.Kind.GONE; // inserted and deleted by ourselves
            } else if (xacts.isInProgress(xmin)) {
                xwait[0] = xmin;
                return DirtyTuple.Kind.BEING_INSERTED;
            } else if (didCommit(xmin)) {
                hinted[0] |= setCommittedHint(p, t, HEAP_XMIN_COMMITTED, HeapTupleHeader.xmin(p, t));
            } else {
                hinted[0] |= setHint(p, t, HEAP_XMIN_INVALID);
                return DirtyTuple.Kind.GONE;
            }
        }
        infomask = HeapTupleHeader.infomask(p, t);
        if ((infomask & HEAP_XMAX_INVALID) != 0) {
            return DirtyTuple.Kind.LIVE;
        }
        if ((infomask & HEAP_XMAX_COMMITTED) != 0) {
            return xmaxIsLockedOnly(infomask) ? DirtyTuple.Kind.LIVE : DirtyTuple.Kind.GONE;
        }
        if (xmaxIsLockedOnly(infomask)) {
            return DirtyTuple.Kind.LIVE;
        }
        int xmax = HeapTupleHeader.xmax(p, t);
        if (tx.isCurrentXid(xmax)) {
            return DirtyTuple.Kind.GONE;
        }
        if (xacts.isInProgress(xmax)) {
            xwait[0] = xmax;
            return DirtyTuple.Kind.BEING_DELETED;
        }
        if (!didCommit(xmax)) {
            hinted[0] |= setHint(p, t, HEAP_XMAX_INVALID);
            return DirtyTuple.Kind.LIVE;
        }
        hinted[0] |= setCommittedHint(p, t, HEAP_XMAX_COMMITTED, HeapTupleHeader.xmax(p, t));
        return DirtyTuple.Kind.GONE;
    }

    /**
     * HeapTupleSatisfiesVacuum: DEAD when no snapshot can see the tuple any more (inserter
     * aborted, or deleter committed before oldestXmin). VACUUM has no xid, so no tuple is its own.
     */
    VacuumCheck satisfiesVacuum(ByteBuffer p, int t, int oldestXmin, boolean[] hinted) {
        int[] deadAfter = {0};
        VacuumCheck check = satisfiesVacuumHorizon(p, t, deadAfter, hinted);
        return check == VacuumCheck.RECENTLY_DEAD && TransactionIds.precedes(deadAfter[0], oldestXmin)
                ? VacuumCheck.DEAD : check;
    }

    /**
     * HeapTupleSatisfiesVacuumHorizon: as satisfiesVacuum, but a tuple whose deleter committed is
     * RECENTLY_DEAD with that xid in deadAfter[0], for the caller to hold against a horizon of its
     * own (DEAD only for an aborted inserter).
     */
    VacuumCheck satisfiesVacuumHorizon(ByteBuffer p, int t, int[] deadAfter, boolean[] hinted) {
        int infomask = HeapTupleHeader.infomask(p, t);
        int xmin = HeapTupleHeader.xmin(p, t);
        if ((infomask & HEAP_XMIN_COMMITTED) == 0) {
            if ((infomask & HEAP_XMIN_INVALID) != 0) {
                return VacuumCheck.DEAD;
            }
            if (xacts.isInProgress(xmin)) {
                return VacuumCheck.INSERT_IN_PROGRESS;
            } else if (didCommit(xmin)) {
                hinted[0] |= setCommittedHint(p, t, HEAP_XMIN_COMMITTED, HeapTupleHeader.xmin(p, t));
            } else {
                hinted[0] |= setHint(p, t, HEAP_XMIN_INVALID);
                return VacuumCheck.DEAD;
            }
        }
        infomask = HeapTupleHeader.infomask(p, t);
        if ((infomask & HEAP_XMAX_INVALID) != 0) {
            return VacuumCheck.LIVE;
        }
        int xmax = HeapTupleHeader.xmax(p, t);
        if (xmaxIsLockedOnly(infomask)) {
            if ((infomask & HEAP_XMAX_COMMITTED) == 0 && !xacts.isInProgress(xmax)) {
                hinted[0] |= setHint(p, t, HEAP_XMAX_INVALID);
            }
            return VacuumCheck.LIVE;
        }
        if ((infomask & HEAP_XMAX_COMMITTED) == 0) {
            if (xacts.isInProgress(xmax)) {
                return VacuumCheck.DELETE_IN_PROGRESS;
            } else if (didCommit(xmax)) {
                hinted[0] |= setCommittedHint(p, t, HEAP_XMAX_COMMITTED, HeapTupleHeader.xmax(p, t));
            } else {
                hinted[0] |= setHint(p, t, HEAP_XMAX_INVALID);
                return VacuumCheck.LIVE;
            }
        }
        deadAfter[0] = xmax;
        return VacuumCheck.RECENTLY_DEAD;
    }
}
