package org.osgres.heap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.buffer.Page;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.xact.IsolationLevel;
import org.osgres.api.xact.Snapshot;
import org.osgres.api.xact.Transaction;
import org.osgres.heap.HeapVisibility.UpdateCheck;
import org.osgres.heap.HeapVisibility.VacuumCheck;

/**
 * The visibility rules, case by case as heapam_visibility.c's comments enumerate them, over real
 * transactions: one committed before the snapshot, one aborted, one running, one that committed
 * after the snapshot was taken, and the observer's own.
 */
class HeapVisibilityTest {
    static final TupleDesc DESC = TupleDesc.of(Attribute.of("a", Attribute.INT4));
    static final int NONE = 0;

    HeapFixture f;
    HeapVisibility vis;
    int committed;
    int committed2;
    int aborted;
    int running;
    int lateCommit;
    Transaction own;
    Snapshot snap;

    @BeforeEach
    void setUp(@TempDir Path dir) {
        f = HeapFixture.start(dir, 16);
        vis = new HeapVisibility(f.xacts);
        committed = xid(true);
        committed2 = xid(true);
        aborted = xid(false);
        Transaction r = f.begin(IsolationLevel.READ_COMMITTED, 9);
        running = r.assignXid();
        Transaction late = f.begin(IsolationLevel.READ_COMMITTED, 8);
        lateCommit = late.assignXid();
        own = f.begin(IsolationLevel.READ_COMMITTED, 1);
        own.assignXid();
        own.commandCounterIncrement(); // current command 1
        snap = own.statementSnapshot();
        late.commit(); // after the snapshot
    }

    private int xid(boolean commit) {
        Transaction t = f.begin(IsolationLevel.READ_COMMITTED, 7);
        int x = t.assignXid();
        if (commit) {
            t.commit();
        } else {
            t.abort();
        }
        return x;
    }

    /** A page with one tuple: xmin, xmax, cid and infomask bits as given; returns the page, tuple at offset. */
    static ByteBuffer page(int xmin, int xmax, int cid, int infomask) {
        ByteBuffer page = ByteBuffer.allocate(Page.SIZE).order(ByteOrder.LITTLE_ENDIAN);
        Page.init(page, 0);
        byte[] t = HeapTupleCodec.form(DESC, new Object[] {42});
        ByteBuffer tb = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN);
        HeapTupleHeader.setXmin(tb, 0, xmin);
        HeapTupleHeader.setXmax(tb, 0, xmax);
        HeapTupleHeader.setRawCid(tb, 0, cid);
        HeapTupleHeader.setInfomask(tb, 0, HeapTupleHeader.infomask(tb, 0) | infomask | (xmax == NONE ? HeapTupleHeader.HEAP_XMAX_INVALID : 0));
        Page.addItem(page, tb);
        HeapTupleHeader.setCtid(page, off(page), new ItemPointer(0, 1));
        return page;
    }

    static int off(ByteBuffer page) {
        return Page.itemOffset(Page.itemId(page, 1));
    }

    /** Runs satisfiesMvcc and checks the answer and the hint bits it leaves. */
    void mvcc(String why, int xmin, int xmax, int cid, int infomask, boolean visible, int hintsAfter) {
        ByteBuffer p = page(xmin, xmax, cid, infomask);
        boolean[] hinted = {false};
        assertEquals(visible, vis.satisfiesMvcc(p, off(p), snap, own, hinted), why);
        assertEquals(Integer.toHexString(hintsAfter),
                Integer.toHexString(HeapTupleHeader.infomask(p, off(p)) & HeapTupleHeader.HINT_BITS), why + ": hint bits");
        int before = (infomask | (xmax == NONE ? HeapTupleHeader.HEAP_XMAX_INVALID : 0)) & HeapTupleHeader.HINT_BITS;
        assertEquals(hintsAfter != before, hinted[0], why + ": the buffer is dirtied as a hint only when bits were set");
    }

    static final int XMIN_C = HeapTupleHeader.HEAP_XMIN_COMMITTED;
    static final int XMIN_I = HeapTupleHeader.HEAP_XMIN_INVALID;
    static final int XMAX_C = HeapTupleHeader.HEAP_XMAX_COMMITTED;
    static final int XMAX_I = HeapTupleHeader.HEAP_XMAX_INVALID;
    static final int LOCK_ONLY = HeapTupleHeader.HEAP_XMAX_LOCK_ONLY | HeapTupleHeader.HEAP_XMAX_EXCL_LOCK;

    @Test
    void mvccRules() {
        int o = own.xid();
        mvcc("xmin committed before the snapshot, no xmax", committed, NONE, 0, 0, true, XMIN_C | XMAX_I);
        mvcc("xmin aborted", aborted, NONE, 0, 0, false, XMIN_I | XMAX_I);
        mvcc("xmin aborted, hint already set: no clog look-up", aborted, NONE, 0, XMIN_I, false, XMIN_I | XMAX_I);
        mvcc("xmin running", running, NONE, 0, 0, false, XMAX_I);
        mvcc("xmin committed after the snapshot: still running for it, no hint", lateCommit, NONE, 0, 0, false, XMAX_I);
        mvcc("xmin committed after the snapshot, hint set by a newer reader", lateCommit, NONE, 0, XMIN_C, false, XMIN_C | XMAX_I);
        mvcc("xmin own, inserted by an earlier command", o, NONE, 0, 0, true, XMAX_I);
        mvcc("xmin own, inserted by this command: after the scan began", o, NONE, 1, 0, false, XMAX_I);
        mvcc("xmax committed before the snapshot", committed, committed2, 0, 0, false, XMIN_C | XMAX_C);
        mvcc("xmax committed, hints already set", committed, committed2, 0, XMIN_C | XMAX_C, false, XMIN_C | XMAX_C);
        mvcc("xmax aborted", committed, aborted, 0, 0, true, XMIN_C | XMAX_I);
        mvcc("xmax running", committed, running, 0, 0, true, XMIN_C);
        mvcc("xmax committed after the snapshot", committed, lateCommit, 0, 0, true, XMIN_C);
        mvcc("xmax committed after the snapshot, hint set", committed, lateCommit, 0, XMIN_C | XMAX_C, true, XMIN_C | XMAX_C);
        mvcc("xmax own, deleted by an earlier command", committed, o, 0, 0, false, XMIN_C);
        mvcc("xmax own, deleted by this command: after the scan began", committed, o, 1, 0, true, XMIN_C);
        mvcc("xmax only locks (committed locker)", committed, committed2, 0, LOCK_ONLY, true, XMIN_C);
        mvcc("xmax only locks (running locker)", committed, running, 0, LOCK_ONLY, true, XMIN_C);
        int combo = own.comboCid(0, 1);
        mvcc("xmin and xmax own, combo cid: deleted by this command", o, o, combo, HeapTupleHeader.HEAP_COMBOCID, true, 0);
        int combo2 = own.comboCid(0, 0);
        mvcc("xmin and xmax own, combo cid: deleted by an earlier command", o, o, combo2, HeapTupleHeader.HEAP_COMBOCID, false, 0);
        mvcc("xmin own, xmax a locker", o, running, 0, LOCK_ONLY, true, 0);
        mvcc("xmin frozen (both bits)", committed, NONE, 0, XMIN_C | XMIN_I, true, XMIN_C | XMIN_I | XMAX_I);
    }

    UpdateCheck update(int xmin, int xmax, int cid, int infomask, ItemPointer ctid) {
        ByteBuffer p = page(xmin, xmax, cid, infomask);
        HeapTupleHeader.setCtid(p, off(p), ctid);
        return vis.satisfiesUpdate(p, off(p), new ItemPointer(0, 1), own.commandId(), own, new boolean[1]);
    }

    @Test
    void updateRules() {
        ItemPointer self = new ItemPointer(0, 1);
        ItemPointer next = new ItemPointer(0, 2);
        assertEquals(UpdateCheck.OK, update(committed, NONE, 0, 0, self));
        assertEquals(UpdateCheck.INVISIBLE, update(aborted, NONE, 0, 0, self));
        assertEquals(UpdateCheck.INVISIBLE, update(running, NONE, 0, 0, self));
        assertEquals(UpdateCheck.BEING_MODIFIED, update(committed, running, 0, 0, next));
        assertEquals(UpdateCheck.BEING_MODIFIED, update(committed, running, 0, LOCK_ONLY, self));
        assertEquals(UpdateCheck.UPDATED, update(committed, committed2, 0, 0, next));
        assertEquals(UpdateCheck.DELETED, update(committed, committed2, 0, 0, self));
        assertEquals(UpdateCheck.OK, update(committed, committed2, 0, LOCK_ONLY, self), "a finished locker is no obstacle");
        assertEquals(UpdateCheck.OK, update(committed, aborted, 0, 0, next), "an aborted update is no obstacle");
        assertEquals(UpdateCheck.SELF_MODIFIED, update(committed, own.xid(), 1, 0, next), "changed by this very command");
        assertEquals(UpdateCheck.INVISIBLE, update(committed, own.xid(), 0, 0, next), "changed by an earlier command");
        assertEquals(UpdateCheck.BEING_MODIFIED, update(committed, own.xid(), 0, LOCK_ONLY, self), "locked by ourselves");
        assertEquals(UpdateCheck.INVISIBLE, update(own.xid(), NONE, 1, 0, self), "inserted by this command");
        assertEquals(UpdateCheck.OK, update(own.xid(), NONE, 0, 0, self));
    }

    VacuumCheck vacuum(int xmin, int xmax, int infomask, int oldestXmin) {
        ByteBuffer p = page(xmin, xmax, 0, infomask);
        return vis.satisfiesVacuum(p, off(p), oldestXmin, new boolean[1]);
    }

    @Test
    void vacuumRules() {
        int horizon = f.xacts.oldestXmin();
        assertEquals(running, horizon, "the running transaction holds the horizon");
        assertEquals(VacuumCheck.LIVE, vacuum(committed, NONE, 0, horizon));
        assertEquals(VacuumCheck.DEAD, vacuum(aborted, NONE, 0, horizon), "inserter aborted");
        assertEquals(VacuumCheck.INSERT_IN_PROGRESS, vacuum(running, NONE, 0, horizon));
        assertEquals(VacuumCheck.DELETE_IN_PROGRESS, vacuum(committed, running, 0, horizon));
        assertEquals(VacuumCheck.DEAD, vacuum(committed, committed2, 0, horizon), "deleted before the horizon");
        assertEquals(VacuumCheck.RECENTLY_DEAD, vacuum(committed, lateCommit, 0, horizon), "deleted after the horizon");
        assertEquals(VacuumCheck.LIVE, vacuum(committed, aborted, 0, horizon), "deleter aborted");
        assertEquals(VacuumCheck.LIVE, vacuum(committed, committed2, LOCK_ONLY, horizon), "only locked");
    }
}
