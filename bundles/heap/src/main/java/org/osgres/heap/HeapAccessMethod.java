/*
 * HeapAccessMethod: the heap access method (PostgreSQL: access/heap/heapam.c heap_insert,
 * heap_update, heap_delete, heap_lock_tuple, heap_fetch, heap_beginscan, and heapam_handler.c's
 * tuple_lock with TUPLE_LOCK_FLAG_FIND_LAST_VERSION for READ COMMITTED).
 *
 * Tuples are PostgreSQL's HeapTupleHeaderData (HeapTupleHeader, HeapTupleCodec) on PostgreSQL's
 * pages, changed under the buffer's exclusive content lock and marked dirty. An UPDATE writes a
 * new version (xmin = own xid, HEAP_UPDATED) and points the old one's t_ctid at it; no HOT yet.
 *
 * Concurrent changes (heap_update's wait logic): when the tuple's xmax is another running
 * transaction, the changer takes the heavyweight tuple lock (ExclusiveLock for UPDATE and FOR NO
 * KEY UPDATE, AccessExclusiveLock for DELETE and FOR UPDATE), waits for that transaction
 * (XactLockTableWait: ShareLock on its xid) and looks again. A committed update or delete fails
 * REPEATABLE READ with 40001; READ COMMITTED follows the ctid chain to the newest version, locks
 * it and hands it back (TmResult.UPDATED) for the caller to re-check its qual: EvalPlanQual-lite.
 * An update that moves to another page first locks the old tuple (xmax = own xid, lock only),
 * then locks both pages in block order, as heap_update does.
 *
 * WAL (HeapWal): every change above is logged while its pages are still exclusively locked and
 * stamped with the record's LSN: XLOG_HEAP_INSERT (with INIT_PAGE for a page's first tuple),
 * _UPDATE (old and new page), _DELETE, _LOCK (also the lock an update to another page takes on
 * the old tuple first), XLOG_SMGR_CREATE for new storage. Hint bits are not logged.
 *
 * Entry points: the HeapAccess interface.
 * See also: HeapVisibility; Hio -- where new tuples go; HeapScanImpl; HeapIndexFetch -- fetches by
 * TID with all_dead; LazyVacuum; HeapWal, HeapRedo.
 */
package org.osgres.heap;

import static org.osgres.heap.HeapTupleHeader.HEAP_COMBOCID;
import static org.osgres.heap.HeapTupleHeader.HEAP_KEYS_UPDATED;
import static org.osgres.heap.HeapTupleHeader.HEAP_UPDATED;
import static org.osgres.heap.HeapTupleHeader.HEAP_XMAX_BITS;
import static org.osgres.heap.HeapTupleHeader.HEAP_XMAX_EXCL_LOCK;
import static org.osgres.heap.HeapTupleHeader.HEAP_XMAX_INVALID;
import static org.osgres.heap.HeapTupleHeader.HEAP_XMAX_LOCK_ONLY;
import static org.osgres.heap.HeapTupleHeader.HEAP_XMIN_COMMITTED;

import java.nio.ByteBuffer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.heap.DirtyTuple;
import org.osgres.api.heap.HeapAccess;
import org.osgres.api.heap.HeapScan;
import org.osgres.api.heap.HeapTuple;
import org.osgres.api.heap.IndexFetch;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.LockWaitPolicy;
import org.osgres.api.heap.ModifyResult;
import org.osgres.api.heap.Relation;
import org.osgres.api.lifecycle.InjectionPoints;
import org.osgres.api.heap.RowLockMode;
import org.osgres.api.heap.TmResult;
import org.osgres.api.heap.VacuumResult;
import org.osgres.api.wal.Recovery;
import org.osgres.api.wal.WalInsert;
import org.osgres.api.wal.WalRecord;
import org.osgres.api.xact.LockMode;
import org.osgres.api.xact.LockTag;
import org.osgres.api.xact.Snapshot;
import org.osgres.api.xact.Transaction;
import org.osgres.api.xact.TransactionIds;
import org.osgres.api.xact.TransactionManager;
import org.osgres.heap.HeapVisibility.UpdateCheck;

@Component(service = HeapAccess.class, immediate = true)
public final class HeapAccessMethod implements HeapAccess {
    private final BufferManager buffers;
    private final HeapVisibility visibility;
    private final Hio hio;
    private final LazyVacuum vacuum;
    private final TransactionManager xacts;
    private final HeapWal wal;

    /**
     * The heap of the server: only once startup recovery is over ({@code recovery}), as no
     * PostgreSQL backend touches a relation before the startup process is done; everything that
     * reads or writes tables (the catalogs' bootstrap included) comes after redo.
     */
    @Activate
    public HeapAccessMethod(@Reference BufferManager buffers, @Reference TransactionManager xacts,
            @Reference WalInsert wal, @Reference Recovery recovery) {
        this(buffers, xacts, wal);
    }

    /** The heap over a WAL (null: none); the caller has run recovery. */
    public HeapAccessMethod(BufferManager buffers, TransactionManager xacts, WalInsert wal) {
        this.buffers = buffers;
        this.xacts = xacts;
        this.wal = new HeapWal(wal, buffers);
        this.visibility = new HeapVisibility(xacts, wal);
        this.hio = new Hio(buffers);
        this.vacuum = new LazyVacuum(buffers, xacts, visibility, hio, this.wal);
    }

    /** The heap without WAL (unit tests of the heap alone). */
    public HeapAccessMethod(BufferManager buffers, TransactionManager xacts) {
        this(buffers, xacts, null);
    }

    @Override
    public void createStorage(Relation rel) {
        wal.smgrCreate(rel.locator());
        buffers.create(rel.locator(), ForkNumber.MAIN);
    }

    /** A Heap record over these blocks, pages stamped; the caller holds their exclusive locks. */
    private void log(Relation rel, int info, int xid, HeapWal.Block... blocks) {
        wal.log(rel.locator(), WalRecord.RM_HEAP_ID, info, xid, java.util.List.of(blocks));
    }

    @Override
    public long nblocks(Relation rel) {
        return buffers.nblocks(rel.locator(), ForkNumber.MAIN);
    }

    static LockTag relationTag(Relation rel) {
        return LockTag.relation(rel.locator().dbOid(), rel.relOid());
    }

    private static LockTag tupleTag(Relation rel, ItemPointer tid) {
        return LockTag.tuple(rel.locator().dbOid(), rel.relOid(), tid.block(), tid.offset());
    }

    /** A new tuple's bytes with its header filled for tx (heap_prepare_insert). */
    private static byte[] prepare(Relation rel, Object[] values, int xid, int cid, int extraInfomask) {
        byte[] bytes = HeapTupleCodec.form(rel.desc(), values);
        if (bytes.length > HeapPages.MAX_HEAP_TUPLE_SIZE) {
            throw new PgException(SqlState.PROGRAM_LIMIT_EXCEEDED, "row is too big: size " + bytes.length
                    + ", maximum size " + HeapPages.MAX_HEAP_TUPLE_SIZE);
        }
        ByteBuffer t = ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        HeapTupleHeader.setXmin(t, 0, xid);
        HeapTupleHeader.setRawCid(t, 0, cid);
        HeapTupleHeader.setInfomask(t, 0, HeapTupleHeader.infomask(t, 0) | HEAP_XMAX_INVALID | extraInfomask);
        return bytes;
    }

    /** Puts a prepared tuple on the locked page; sets its t_ctid to itself (RelationPutHeapTuple). */
    private static ItemPointer putTuple(ByteBuffer page, long block, byte[] bytes) {
        int offnum = Page.addItem(page, ByteBuffer.wrap(bytes));
        if (offnum == Page.INVALID_OFFSET_NUMBER) {
            throw new PgException(SqlState.INTERNAL_ERROR, "failed to add tuple to page");
        }
        ItemPointer tid = new ItemPointer((int) block, offnum);
        HeapTupleHeader.setCtid(page, Page.itemOffset(Page.itemId(page, offnum)), tid);
        return tid;
    }

    @Override
    public ItemPointer insert(Relation rel, Transaction tx, Object[] values) {
        tx.lock(relationTag(rel), LockMode.ROW_EXCLUSIVE);
        int xid = tx.assignXid();
        byte[] bytes = prepare(rel, values, xid, tx.commandId(), 0);
        int buffer = hio.getBufferForTuple(rel, bytes.length, 0);
        try {
            ByteBuffer page = buffers.page(buffer);
            ItemPointer tid = putTuple(page, buffers.blockNumber(buffer), bytes);
            buffers.markDirty(buffer);
            // a test's PANIC with the page changed and dirty but not WAL-logged: crash-restart must discard it
            InjectionPoints.panicIf("heap-insert", rel.name());
            boolean init = isFirstTuple(page, tid);
            log(rel, HeapWal.XLOG_HEAP_INSERT | (init ? HeapWal.XLOG_HEAP_INIT_PAGE : 0), xid,
                    new HeapWal.Block(buffer, init, HeapWal.ops(page).put(tid.offset())));
            return tid;
        } finally {
            buffers.unlock(buffer);
            buffers.unpin(buffer);
        }
    }

    @Override
    public ItemPointer insertFrozen(Relation rel, Object[] values) {
        byte[] bytes = prepare(rel, values, TransactionIds.FROZEN, TransactionIds.FIRST_COMMAND_ID,
                HeapTupleHeader.HEAP_XMIN_FROZEN);
        int buffer = hio.getBufferForTuple(rel, bytes.length, 0);
        try {
            ByteBuffer page = buffers.page(buffer);
            ItemPointer tid = putTuple(page, buffers.blockNumber(buffer), bytes);
            buffers.markDirty(buffer);
            boolean init = isFirstTuple(page, tid);
            log(rel, HeapWal.XLOG_HEAP_INSERT | (init ? HeapWal.XLOG_HEAP_INIT_PAGE : 0), TransactionIds.INVALID,
                    new HeapWal.Block(buffer, init, HeapWal.ops(page).put(tid.offset())));
            return tid;
        } finally {
            buffers.unlock(buffer);
            buffers.unpin(buffer);
        }
    }

    /** heap_insert's XLOG_HEAP_INIT_PAGE test: the tuple is the page's only one, at offset 1. */
    private static boolean isFirstTuple(ByteBuffer page, ItemPointer tid) {
        return tid.offset() == 1 && Page.maxOffsetNumber(page) == 1;
    }

    /** What one attempt found: the check, and the tuple's xmax and ctid then. */
    private record Attempt(UpdateCheck check, int xmax, int infomask, ItemPointer ctid) {
    }

    /** The operations that share heap_update's wait logic. */
    private enum Op {
        UPDATE(LockMode.EXCLUSIVE, "update"),
        DELETE(LockMode.ACCESS_EXCLUSIVE, "delete"),
        LOCK_NO_KEY(LockMode.EXCLUSIVE, "update"),
        LOCK_KEY(LockMode.ACCESS_EXCLUSIVE, "update");

        final LockMode tupleLockMode;
        final String word;

        Op(LockMode tupleLockMode, String word) {
            this.tupleLockMode = tupleLockMode;
            this.word = word;
        }
    }

    @Override
    public ModifyResult update(Relation rel, Transaction tx, ItemPointer tid, Object[] values) {
        tx.lock(relationTag(rel), LockMode.ROW_EXCLUSIVE);
        int xid = tx.assignXid();
        byte[] newTuple = prepare(rel, values, xid, tx.commandId(), HEAP_UPDATED);
        return modify(rel, tx, tid, Op.UPDATE, LockWaitPolicy.BLOCK, newTuple);
    }

    @Override
    public ModifyResult delete(Relation rel, Transaction tx, ItemPointer tid) {
        tx.lock(relationTag(rel), LockMode.ROW_EXCLUSIVE);
        tx.assignXid();
        return modify(rel, tx, tid, Op.DELETE, LockWaitPolicy.BLOCK, null);
    }

    @Override
    public ModifyResult lockTuple(Relation rel, Transaction tx, ItemPointer tid, RowLockMode mode, LockWaitPolicy policy) {
        tx.lock(relationTag(rel), LockMode.ROW_SHARE);
        tx.assignXid();
        return modify(rel, tx, tid, mode == RowLockMode.FOR_UPDATE ? Op.LOCK_KEY : Op.LOCK_NO_KEY, policy, null);
    }

    /**
     * heap_update / heap_delete / heap_lock_tuple: waits as needed, then applies the change; for
     * READ COMMITTED follows a committed update to the newest version.
     */
    private ModifyResult modify(Relation rel, Transaction tx, ItemPointer tid, Op op, LockWaitPolicy policy, byte[] newTuple) {
        LockTag tupleLock = null;
        try {
            for (;;) {
                int buffer = buffers.pin(rel.locator(), ForkNumber.MAIN, tid.blockNumber());
                boolean pinned = true;
                try {
                    buffers.lockExclusive(buffer);
                    ByteBuffer page = buffers.page(buffer);
                    int t = tupleOffset(page, tid);
                    if (t < 0) {
                        buffers.unlock(buffer);
                        return new ModifyResult(TmResult.DELETED, tid, null);
                    }
                    boolean[] hinted = {false};
                    UpdateCheck check = visibility.satisfiesUpdate(page, t, tid, tx.commandId(), tx, hinted);
                    Attempt a = new Attempt(check, HeapTupleHeader.xmax(page, t), HeapTupleHeader.infomask(page, t),
                            HeapTupleHeader.ctid(page, t));
                    if (check == UpdateCheck.BEING_MODIFIED && tx.isCurrentXid(a.xmax())
                            && HeapTupleHeader.xmaxIsLockedOnly(a.infomask())) {
                        check = UpdateCheck.OK; // locked by ourselves (SELECT FOR UPDATE, or an EvalPlanQual lock)
                        if (op == Op.LOCK_NO_KEY || op == Op.LOCK_KEY) {
                            if (op == Op.LOCK_KEY) {
                                HeapTupleHeader.setInfomask2(page, t, HeapTupleHeader.infomask2(page, t) | HEAP_KEYS_UPDATED);
                                buffers.markDirty(buffer);
                                log(rel, HeapWal.XLOG_HEAP_LOCK, tx.xid(),
                                        new HeapWal.Block(buffer, false, HeapWal.ops(page).header(tid.offset())));
                            }
                            buffers.unlock(buffer);
                            return new ModifyResult(TmResult.OK, tid, null);
                        }
                    }
                    if (hinted[0]) {
                        buffers.markDirty(buffer);
                    }
                    switch (check) {
                        case INVISIBLE -> {
                            buffers.unlock(buffer);
                            throw new PgException(SqlState.INTERNAL_ERROR, "attempted to " + (op == Op.UPDATE ? "update"
                                    : op == Op.DELETE ? "delete" : "lock") + " invisible tuple");
                        }
                        case SELF_MODIFIED -> {
                            buffers.unlock(buffer);
                            return new ModifyResult(TmResult.SELF_MODIFIED, tid, null);
                        }
                        case BEING_MODIFIED -> {
                            buffers.unlock(buffer);
                            buffers.unpin(buffer);
                            pinned = false;
                            if (tupleLock == null) {
                                tupleLock = tupleTag(rel, tid);
                                if (!acquireTupleLock(tx, tupleLock, op.tupleLockMode, policy, rel)) {
                                    tupleLock = null;
                                    return new ModifyResult(TmResult.WOULD_BLOCK, tid, null);
                                }
                            }
                            if (!waitFor(tx, a.xmax(), policy, rel)) {
                                return new ModifyResult(TmResult.WOULD_BLOCK, tid, null);
                            }
                            continue; // look again: the waited-for transaction has ended
                        }
                        case UPDATED, DELETED -> {
                            buffers.unlock(buffer);
                            buffers.unpin(buffer);
                            pinned = false;
                            if (tx.isolationLevel().usesTransactionSnapshot()) {
                                throw new PgException(SqlState.T_R_SERIALIZATION_FAILURE,
                                        "could not serialize access due to concurrent "
                                                + (check == UpdateCheck.UPDATED ? "update" : "delete"));
                            }
                            if (check == UpdateCheck.DELETED) {
                                return new ModifyResult(TmResult.DELETED, tid, null);
                            }
                            releaseTupleLock(tx, tupleLock, op);
                            tupleLock = null;
                            return lockLatestVersion(rel, tx, a.ctid(), a.xmax(),
                                    op == Op.DELETE || op == Op.LOCK_KEY ? RowLockMode.FOR_UPDATE : RowLockMode.FOR_NO_KEY_UPDATE);
                        }
                        case OK -> {
                            // applied below, still under the exclusive lock
                        }
                    }
                    ModifyResult done = switch (op) {
                        case DELETE -> applyDelete(rel, tx, buffer, page, t, tid);
                        case LOCK_KEY, LOCK_NO_KEY -> applyLock(rel, tx, buffer, page, t, tid, op == Op.LOCK_KEY);
                        case UPDATE -> {
                            ModifyResult r = applyUpdate(rel, tx, buffer, page, t, tid, newTuple);
                            pinned = false; // applyUpdate releases the buffer
                            yield r;
                        }
                    };
                    if (pinned) {
                        buffers.unlock(buffer);
                    }
                    return done;
                } finally {
                    if (pinned) {
                        buffers.unpin(buffer);
                    }
                }
            }
        } finally {
            releaseTupleLock(tx, tupleLock, op);
        }
    }

    private static void releaseTupleLock(Transaction tx, LockTag tag, Op op) {
        if (tag != null) {
            tx.unlock(tag, op.tupleLockMode);
        }
    }

    /** heap_acquire_tuplock: false for SKIP LOCKED when the lock is taken; NOWAIT fails. */
    private static boolean acquireTupleLock(Transaction tx, LockTag tag, LockMode mode, LockWaitPolicy policy, Relation rel) {
        switch (policy) {
            case BLOCK -> tx.lock(tag, mode);
            case SKIP -> {
                return tx.tryLock(tag, mode);
            }
            case ERROR -> {
                if (!tx.tryLock(tag, mode)) {
                    throw cannotLockRow(rel);
                }
            }
        }
        return true;
    }

    private static PgException cannotLockRow(Relation rel) {
        return new PgException(SqlState.LOCK_NOT_AVAILABLE, "could not obtain lock on row in relation \"" + rel.name() + "\"");
    }

    /** XactLockTableWait, or its conditional form for SKIP LOCKED and NOWAIT. */
    private static boolean waitFor(Transaction tx, int xwait, LockWaitPolicy policy, Relation rel) {
        switch (policy) {
            case BLOCK -> tx.waitForXid(xwait);
            case SKIP -> {
                return tx.xidHasEnded(xwait);
            }
            case ERROR -> {
                if (!tx.xidHasEnded(xwait)) {
                    throw cannotLockRow(rel);
                }
            }
        }
        return true;
    }

    /** The page offset of the LP_NORMAL tuple at tid, or -1 when the line pointer holds none. */
    static int tupleOffset(ByteBuffer page, ItemPointer tid) {
        if (Page.isNew(page) || tid.offset() < 1 || tid.offset() > Page.maxOffsetNumber(page)) {
            return -1;
        }
        int id = Page.itemId(page, tid.offset());
        return Page.itemFlags(id) == Page.LP_NORMAL ? Page.itemOffset(id) : -1;
    }

    /** HeapTupleHeaderAdjustCmax: a combo command id when the own transaction also inserted the tuple. */
    private static int adjustCmax(Transaction tx, ByteBuffer page, int t, int cmax, int[] infomaskOut) {
        int infomask = HeapTupleHeader.infomask(page, t);
        if ((infomask & HEAP_XMIN_COMMITTED) == 0 && tx.isCurrentXid(HeapTupleHeader.xmin(page, t))) {
            infomaskOut[0] = HEAP_COMBOCID;
            return tx.comboCid(HeapVisibility.cmin(page, t, tx), cmax);
        }
        infomaskOut[0] = 0;
        return cmax;
    }

    /** Sets the deleter's xmax and cmax on the old version (clearing earlier xmax bits). */
    private static void setXmaxForChange(Transaction tx, ByteBuffer page, int t) {
        int[] combo = new int[1];
        int cid = adjustCmax(tx, page, t, tx.commandId(), combo);
        int infomask = HeapTupleHeader.infomask(page, t) & ~(HEAP_XMAX_BITS | HEAP_COMBOCID);
        HeapTupleHeader.setInfomask(page, t, infomask | combo[0]);
        HeapTupleHeader.setXmax(page, t, tx.xid());
        HeapTupleHeader.setRawCid(page, t, cid);
    }

    private static void setPrunable(ByteBuffer page, int xid) {
        int prune = Page.pruneXid(page);
        if (!TransactionIds.isValid(prune) || TransactionIds.precedes(xid, prune)) {
            Page.setPruneXid(page, xid);
        }
    }

    private ModifyResult applyDelete(Relation rel, Transaction tx, int buffer, ByteBuffer page, int t, ItemPointer tid) {
        setXmaxForChange(tx, page, t);
        HeapTupleHeader.setInfomask2(page, t, HeapTupleHeader.infomask2(page, t) | HEAP_KEYS_UPDATED);
        HeapTupleHeader.setCtid(page, t, tid);
        setPrunable(page, tx.xid());
        buffers.markDirty(buffer);
        log(rel, HeapWal.XLOG_HEAP_DELETE, tx.xid(),
                new HeapWal.Block(buffer, false, HeapWal.ops(page).header(tid.offset()).pruneXid()));
        return new ModifyResult(TmResult.OK, tid, null);
    }

    private ModifyResult applyLock(Relation rel, Transaction tx, int buffer, ByteBuffer page, int t, ItemPointer tid,
            boolean keys) {
        int infomask = HeapTupleHeader.infomask(page, t) & ~HEAP_XMAX_BITS;
        HeapTupleHeader.setInfomask(page, t, infomask | HEAP_XMAX_EXCL_LOCK | HEAP_XMAX_LOCK_ONLY);
        if (keys) {
            HeapTupleHeader.setInfomask2(page, t, HeapTupleHeader.infomask2(page, t) | HEAP_KEYS_UPDATED);
        }
        HeapTupleHeader.setXmax(page, t, tx.xid());
        buffers.markDirty(buffer);
        log(rel, HeapWal.XLOG_HEAP_LOCK, tx.xid(), new HeapWal.Block(buffer, false, HeapWal.ops(page).header(tid.offset())));
        return new ModifyResult(TmResult.OK, tid, null);
    }

    /**
     * The update proper, the old page exclusively locked: on the same page if the new version
     * fits, else the old tuple is locked for us, the page unlocked, and a new page found. Releases
     * the old buffer (lock and pin).
     */
    private ModifyResult applyUpdate(Relation rel, Transaction tx, int buffer, ByteBuffer page, int t, ItemPointer otid,
            byte[] newTuple) {
        int newBuffer = 0;
        try {
            ByteBuffer newPage = page;
            long newBlock = otid.blockNumber();
            if (HeapPages.heapFreeSpace(page) < Page.maxAlign(newTuple.length)) {
                // heap_update: mark the old tuple locked by us while no page lock is held
                int infomask = HeapTupleHeader.infomask(page, t) & ~HEAP_XMAX_BITS;
                HeapTupleHeader.setInfomask(page, t, infomask | HEAP_XMAX_EXCL_LOCK | HEAP_XMAX_LOCK_ONLY);
                HeapTupleHeader.setXmax(page, t, tx.xid());
                buffers.markDirty(buffer);
                log(rel, HeapWal.XLOG_HEAP_LOCK, tx.xid(),
                        new HeapWal.Block(buffer, false, HeapWal.ops(page).header(otid.offset())));
                buffers.unlock(buffer);
                newBuffer = hio.getBufferForTuple(rel, newTuple.length, buffer); // locks both, in block order
                newPage = buffers.page(newBuffer);
                newBlock = buffers.blockNumber(newBuffer);
                t = tupleOffset(page, otid); // VACUUM may have compacted the page while it was unlocked: look again
            }
            ItemPointer newTid = putTuple(newPage, newBlock, newTuple);
            setXmaxForChange(tx, page, t);
            HeapTupleHeader.setInfomask2(page, t, HeapTupleHeader.infomask2(page, t) & ~HEAP_KEYS_UPDATED);
            HeapTupleHeader.setCtid(page, t, newTid);
            setPrunable(page, tx.xid());
            buffers.markDirty(buffer);
            if (newBuffer != 0) {
                buffers.markDirty(newBuffer);
                boolean init = isFirstTuple(newPage, newTid);
                log(rel, HeapWal.XLOG_HEAP_UPDATE | (init ? HeapWal.XLOG_HEAP_INIT_PAGE : 0), tx.xid(),
                        new HeapWal.Block(newBuffer, init, HeapWal.ops(newPage).put(newTid.offset())),
                        new HeapWal.Block(buffer, false, HeapWal.ops(page).header(otid.offset()).pruneXid()));
            } else {
                log(rel, HeapWal.XLOG_HEAP_UPDATE, tx.xid(), new HeapWal.Block(buffer, false,
                        HeapWal.ops(page).put(newTid.offset()).header(otid.offset()).pruneXid()));
            }
            return new ModifyResult(TmResult.OK, newTid, null);
        } finally {
            buffers.unlock(buffer);
            buffers.unpin(buffer);
            if (newBuffer != 0) {
                buffers.unlock(newBuffer);
                buffers.unpin(newBuffer);
            }
        }
    }

    /**
     * READ COMMITTED after a concurrent committed update (heapam_tuple_lock with
     * TUPLE_LOCK_FLAG_FIND_LAST_VERSION): follows t_ctid from version to version, as long as each
     * version's xmin is the previous one's xmax, and locks the newest one for this transaction.
     */
    private ModifyResult lockLatestVersion(Relation rel, Transaction tx, ItemPointer ctid, int priorXmax, RowLockMode mode) {
        ItemPointer tid = ctid;
        int prior = priorXmax;
        for (;;) {
            int buffer = buffers.pin(rel.locator(), ForkNumber.MAIN, tid.blockNumber());
            try {
                buffers.lockShared(buffer);
                try {
                    ByteBuffer page = buffers.page(buffer);
                    int t = tupleOffset(page, tid);
                    if (t < 0 || HeapTupleHeader.xmin(page, t) != prior) {
                        return new ModifyResult(TmResult.DELETED, tid, null); // the chain was cut: the row is gone
                    }
                } finally {
                    buffers.unlock(buffer);
                }
            } finally {
                buffers.unpin(buffer);
            }
            ModifyResult r = modify(rel, tx, tid, mode == RowLockMode.FOR_UPDATE ? Op.LOCK_KEY : Op.LOCK_NO_KEY,
                    LockWaitPolicy.BLOCK, null);
            switch (r.result()) {
                case OK -> {
                    return new ModifyResult(TmResult.UPDATED, tid, copyTuple(rel, tid));
                }
                case UPDATED -> {
                    return r; // modify followed the chain further itself
                }
                default -> {
                    return r;
                }
            }
        }
    }

    /** The tuple at tid, copied, whatever its visibility. */
    private HeapTuple copyTuple(Relation rel, ItemPointer tid) {
        int buffer = buffers.pin(rel.locator(), ForkNumber.MAIN, tid.blockNumber());
        try {
            buffers.lockShared(buffer);
            try {
                ByteBuffer page = buffers.page(buffer);
                int id = Page.itemId(page, tid.offset());
                return HeapTupleImpl.copyOf(page, Page.itemOffset(id), Page.itemLength(id), tid, rel.desc());
            } finally {
                buffers.unlock(buffer);
            }
        } finally {
            buffers.unpin(buffer);
        }
    }

    @Override
    public HeapScan beginScan(Relation rel, Transaction tx, Snapshot snapshot) {
        tx.lock(relationTag(rel), LockMode.ACCESS_SHARE);
        return new HeapScanImpl(buffers, visibility, rel, tx, snapshot);
    }

    @Override
    public HeapTuple fetch(Relation rel, Transaction tx, Snapshot snapshot, ItemPointer tid) {
        return beginIndexFetch(rel, tx).fetch(tid, snapshot, null);
    }

    /**
     * heap_fetch with SnapshotDirty, for _bt_check_unique. Takes no relation lock: the caller, an
     * index insert, holds RowExclusiveLock on the heap already.
     */
    @Override
    public DirtyTuple fetchDirty(Relation rel, Transaction tx, ItemPointer tid) {
        return beginIndexFetch(rel, tx).fetchDirty(tid, null);
    }

    @Override
    public IndexFetch beginIndexFetch(Relation rel, Transaction tx) {
        return new HeapIndexFetch(buffers, visibility, xacts, rel, tx);
    }

    /** One tuple of a page, collected for the build scan's callback. */
    private record BuildTuple(ItemPointer tid, Object[] values, boolean alive) {
    }

    @Override
    public void indexBuildScan(Relation rel, Transaction tx, IndexBuildCallback callback) {
        tx.lock(relationTag(rel), LockMode.ACCESS_SHARE);
        long nblocks = nblocks(rel);
        java.util.List<BuildTuple> found = new java.util.ArrayList<>();
        for (long blkno = 0; blkno < nblocks; blkno++) {
            for (;;) {
                found.clear();
                int xwait = buildScanPage(rel, tx, blkno, found);
                if (xwait == 0) {
                    break;
                }
                tx.waitForXid(xwait); // heapam_index_build_range_scan: XactLockTableWait, then recheck
            }
            for (BuildTuple t : found) {
                callback.tuple(t.tid(), t.values(), t.alive());
            }
        }
    }

    /** The page's tuples for an index build, or the xid of another transaction to wait for first. */
    private int buildScanPage(Relation rel, Transaction tx, long blkno, java.util.List<BuildTuple> found) {
        int oldestXmin = xacts.oldestXmin();
        int buffer = buffers.pin(rel.locator(), ForkNumber.MAIN, blkno);
        try {
            buffers.lockShared(buffer);
            try {
                ByteBuffer page = buffers.page(buffer);
                if (Page.isNew(page)) {
                    return 0;
                }
                boolean[] hinted = {false};
                int nline = Page.maxOffsetNumber(page);
                for (int off = 1; off <= nline; off++) {
                    int id = Page.itemId(page, off);
                    if (Page.itemFlags(id) != Page.LP_NORMAL) {
                        continue;
                    }
                    int t = Page.itemOffset(id);
                    boolean alive;
                    switch (visibility.satisfiesVacuum(page, t, oldestXmin, hinted)) {
                        case DEAD -> {
                            continue;
                        }
                        case LIVE -> alive = true;
                        case RECENTLY_DEAD -> alive = false;
                        case INSERT_IN_PROGRESS -> {
                            int xmin = HeapTupleHeader.xmin(page, t);
                            if (!tx.isCurrentXid(xmin)) {
                                return xmin;
                            }
                            int infomask = HeapTupleHeader.infomask(page, t);
                            alive = (infomask & HEAP_XMAX_INVALID) != 0 || HeapTupleHeader.xmaxIsLockedOnly(infomask)
                                    || !tx.isCurrentXid(HeapTupleHeader.xmax(page, t));
                        }
                        case DELETE_IN_PROGRESS -> {
                            int xmax = HeapTupleHeader.xmax(page, t);
                            if (!tx.isCurrentXid(xmax)) {
                                return xmax;
                            }
                            alive = false;
                        }
                        default -> throw new IllegalStateException();
                    }
                    found.add(new BuildTuple(new ItemPointer((int) blkno, off), HeapTupleCodec.deform(rel.desc(), page, t), alive));
                }
                if (hinted[0]) {
                    buffers.markDirtyHint(buffer);
                }
                return 0;
            } finally {
                buffers.unlock(buffer);
            }
        } finally {
            buffers.unpin(buffer);
        }
    }

    @Override
    public VacuumResult vacuum(Relation rel, Transaction tx) {
        return vacuum.vacuumRelation(rel, tx, null);
    }

    @Override
    public VacuumResult vacuum(Relation rel, Transaction tx, IndexCleanup indexes) {
        return vacuum.vacuumRelation(rel, tx, indexes);
    }
}
