/*
 * LockManager: heavyweight locks on relations, tuples and transactions (PostgreSQL:
 * storage/lmgr/lock.c, proc.c ProcSleep/ProcLockWakeup, deadlock.c).
 *
 * One lock table maps each LockTag to its holders (with the modes each holds) and its waiters.
 * A request is granted when no other holder holds a conflicting mode (PostgreSQL's conflict
 * table, LockMode); otherwise the requester waits on its own condition. A release grants every
 * waiter that no longer conflicts and wakes it (ProcLockWakeup). There is no queue fairness:
 * a new request that conflicts only with waiters is granted, so only holders block, and the
 * wait-for graph has only PostgreSQL's "hard" edges.
 *
 * A waiter checks for a deadlock once, deadlock_timeout after it began to wait (CheckDeadLock):
 * it follows waits-for edges from itself; a cycle back to itself fails its own wait with 40P01
 * and PostgreSQL's DETAIL, one line per edge. The check runs under the table's mutex, and the
 * victim leaves the wait queue before the mutex is released, so of two processes in one cycle
 * exactly one fails. lock_timeout fails the wait with 55P03; the wait context's interrupt check
 * runs every POLL_MS, so a cancel ends a wait within that time.
 *
 * The table is Java objects guarded by one mutex (PostgreSQL: the lock partitions in shared
 * memory); callers keep a local map of what they hold (LOCALLOCK) so re-acquiring a held lock
 * never comes here.
 *
 * Entry points: acquire() (LockAcquire), release() (LockRelease), releaseAll() (LockReleaseAll).
 * See also: TransactionState -- the holder, with its local lock map; ProcArray.
 */
package org.osgres.transam;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.xact.LockMode;
import org.osgres.api.xact.LockTag;
import org.osgres.api.xact.WaitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class LockManager {
    private static final Logger LOG = LoggerFactory.getLogger(LockManager.class);
    /** How often a waiter checks for interrupts, in milliseconds. */
    static final long POLL_MS = 10;

    /** A lock holder or waiter: one backend's transaction (PostgreSQL: PGPROC). */
    static final class Proc {
        final int pid;
        final Condition wakeup;
        /** The request this proc waits for, or null (PGPROC.waitLock/waitLockMode). */
        Waiter waiting;

        Proc(int pid, Condition wakeup) {
            this.pid = pid;
            this.wakeup = wakeup;
        }
    }

    /** A request waiting in a lock's queue (a PROCLOCK not yet granted). */
    static final class Waiter {
        final Proc proc;
        final LockTag tag;
        final LockMode mode;
        boolean granted;

        Waiter(Proc proc, LockTag tag, LockMode mode) {
            this.proc = proc;
            this.tag = tag;
            this.mode = mode;
        }
    }

    /** One lockable object (PostgreSQL: LOCK). */
    private static final class Lock {
        /** Each holder's granted modes as a mask over LockMode ordinals. */
        final Map<Proc, Integer> holders = new LinkedHashMap<>();
        final List<Waiter> waiters = new ArrayList<>();

        /** Whether a mode conflicts with what holders other than {@code proc} hold. */
        boolean conflicts(Proc proc, LockMode mode) {
            int conflictMask = mode.conflictMask();
            for (Map.Entry<Proc, Integer> e : holders.entrySet()) {
                if (e.getKey() != proc && (e.getValue() & conflictMask) != 0) {
                    return true;
                }
            }
            return false;
        }
    }

    private final ReentrantLock mutex = new ReentrantLock();
    private final Map<LockTag, Lock> table = new HashMap<>();

    /** A new holder for a backend's transaction. */
    Proc newProc(int pid) {
        return new Proc(pid, mutex.newCondition());
    }

    /**
     * Takes the lock, waiting if it must (LockAcquire, ProcSleep).
     *
     * @param waits null for a conditional request
     * @return false when the lock is held by others and {@code waits} is null
     */
    boolean acquire(Proc proc, LockTag tag, LockMode mode, WaitContext waits) {
        mutex.lock();
        try {
            Lock lock = table.computeIfAbsent(tag, t -> new Lock());
            if (!lock.conflicts(proc, mode)) {
                lock.holders.merge(proc, mode.mask(), (a, b) -> a | b);
                return true;
            }
            if (waits == null) {
                forgetIfUnused(tag, lock);
                return false;
            }
            Waiter waiter = new Waiter(proc, tag, mode);
            lock.waiters.add(waiter);
            proc.waiting = waiter;
            waits.waitStarted(tag);
            try {
                sleep(waiter, lock, waits);
            } finally {
                waits.waitEnded();
                proc.waiting = null;
                if (!waiter.granted) {
                    lock.waiters.remove(waiter);
                    forgetIfUnused(tag, lock);
                }
            }
            return true;
        } finally {
            mutex.unlock();
        }
    }

    /** Waits until granted, checking interrupts, lock_timeout and, once, for a deadlock (ProcSleep); mutex held. */
    private void sleep(Waiter waiter, Lock lock, WaitContext waits) {
        long start = System.nanoTime();
        long deadlockAt = start + TimeUnit.MILLISECONDS.toNanos(Math.max(1, waits.deadlockTimeoutMs()));
        int lockTimeout = waits.lockTimeoutMs();
        long timeoutAt = lockTimeout > 0 ? start + TimeUnit.MILLISECONDS.toNanos(lockTimeout) : Long.MAX_VALUE;
        boolean deadlockChecked = false;
        while (!waiter.granted) {
            long now = System.nanoTime();
            long wake = now + TimeUnit.MILLISECONDS.toNanos(POLL_MS);
            if (!deadlockChecked) {
                wake = Math.min(wake, deadlockAt);
            }
            wake = Math.min(wake, timeoutAt);
            try {
                waiter.proc.wakeup.awaitNanos(Math.max(0, wake - now));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new PgException(SqlState.QUERY_CANCELED, "canceling statement due to user request");
            }
            if (waiter.granted) {
                return;
            }
            waits.checkInterrupts();
            now = System.nanoTime();
            if (now - timeoutAt >= 0) {
                throw new PgException(SqlState.LOCK_NOT_AVAILABLE, "canceling statement due to lock timeout");
            }
            if (!deadlockChecked && now - deadlockAt >= 0) {
                deadlockChecked = true;
                List<Waiter> cycle = findCycle(waiter.proc);
                if (cycle != null) {
                    throw deadlockReport(cycle);
                }
            }
        }
    }

    /**
     * Looks for a waits-for cycle through {@code start} (DeadLockCheck, FindLockCycle): the
     * edges of the cycle, each a waiter, its first edge start's own wait; null if there is none.
     */
    List<Waiter> findCycle(Proc start) {
        blockers.clear();
        List<Waiter> path = new ArrayList<>();
        return findCycleRecurse(start, start, path, new ArrayList<>()) ? path : null;
    }

    private boolean findCycleRecurse(Proc proc, Proc start, List<Waiter> path, List<Proc> visited) {
        Waiter w = proc.waiting;
        if (w == null || w.granted) {
            return false;
        }
        if (visited.contains(proc)) {
            return false; // a cycle not through start: its own members will find it
        }
        visited.add(proc);
        Lock lock = table.get(w.tag);
        if (lock == null) {
            return false;
        }
        int conflictMask = w.mode.conflictMask();
        for (Map.Entry<Proc, Integer> e : lock.holders.entrySet()) {
            Proc blocker = e.getKey();
            if (blocker == proc || (e.getValue() & conflictMask) == 0) {
                continue;
            }
            path.add(w);
            if (blocker == start) {
                blockers.put(w, blocker);
                return true;
            }
            blockers.put(w, blocker);
            if (findCycleRecurse(blocker, start, path, visited)) {
                return true;
            }
            path.remove(path.size() - 1);
        }
        return false;
    }

    /** Which holder each edge of the last cycle found points at; mutex held. */
    private final Map<Waiter, Proc> blockers = new HashMap<>();

    /** DeadLockReport: ERROR 40P01 with one DETAIL line per edge. */
    private PgException deadlockReport(List<Waiter> cycle) {
        StringBuilder detail = new StringBuilder();
        for (Waiter w : cycle) {
            if (!detail.isEmpty()) {
                detail.append('\n');
            }
            detail.append("Process ").append(w.proc.pid).append(" waits for ").append(w.mode.displayName())
                    .append(" on ").append(w.tag.describe()).append("; blocked by process ")
                    .append(blockers.get(w).pid).append('.');
        }
        blockers.clear();
        LOG.info("process {} detected deadlock while waiting for {} on {}", cycle.get(0).proc.pid,
                cycle.get(0).mode.displayName(), cycle.get(0).tag.describe());
        return new PgException(SqlState.T_R_DEADLOCK_DETECTED, "deadlock detected").withDetail(detail.toString())
                .withHint("See server log for query details.");
    }

    /** Releases one mode of a lock and wakes who can go on now (LockRelease). */
    void release(Proc proc, LockTag tag, LockMode mode) {
        mutex.lock();
        try {
            Lock lock = table.get(tag);
            if (lock == null) {
                return;
            }
            Integer held = lock.holders.get(proc);
            if (held == null) {
                return;
            }
            int rest = held & ~mode.mask();
            if (rest == 0) {
                lock.holders.remove(proc);
            } else {
                lock.holders.put(proc, rest);
            }
            wakeup(lock);
            forgetIfUnused(tag, lock);
        } finally {
            mutex.unlock();
        }
    }

    /** Releases every lock of the given tags (LockReleaseAll at transaction end). */
    void releaseAll(Proc proc, Iterable<LockTag> tags) {
        mutex.lock();
        try {
            for (LockTag tag : tags) {
                Lock lock = table.get(tag);
                if (lock != null && lock.holders.remove(proc) != null) {
                    wakeup(lock);
                    forgetIfUnused(tag, lock);
                }
            }
        } finally {
            mutex.unlock();
        }
    }

    /** Grants waiters that no longer conflict, in queue order, and signals them (ProcLockWakeup); mutex held. */
    private void wakeup(Lock lock) {
        for (var it = lock.waiters.iterator(); it.hasNext();) {
            Waiter w = it.next();
            if (!lock.conflicts(w.proc, w.mode)) {
                lock.holders.merge(w.proc, w.mode.mask(), (a, b) -> a | b);
                w.granted = true;
                it.remove();
                w.proc.wakeup.signal();
            }
        }
    }

    private void forgetIfUnused(LockTag tag, Lock lock) {
        if (lock.holders.isEmpty() && lock.waiters.isEmpty()) {
            table.remove(tag);
        }
    }

    /** Whether anyone holds or waits for the tag (for tests and pg_locks later). */
    boolean isLocked(LockTag tag) {
        mutex.lock();
        try {
            return table.containsKey(tag);
        } finally {
            mutex.unlock();
        }
    }

    /** The number of requests waiting, over all locks. */
    int waiting() {
        mutex.lock();
        try {
            int n = 0;
            for (Lock lock : table.values()) {
                n += lock.waiters.size();
            }
            return n;
        } finally {
            mutex.unlock();
        }
    }

    /** The number of lock table entries. */
    int size() {
        mutex.lock();
        try {
            return table.size();
        } finally {
            mutex.unlock();
        }
    }
}
