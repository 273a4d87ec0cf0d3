package org.osgres.postmaster;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.session.BackendKey;
import org.osgres.api.session.Interrupts;

/**
 * The backend slots (PostgreSQL: the PGPROC array that InitProcess takes a slot from, and the
 * postmaster's BackendList). A session takes a slot after its startup packet and gives it back
 * when it ends; max_connections slots exist. Each slot has a pid-like number, unique among live
 * sessions, and a random secret for CancelRequest.
 */
final class BackendSlots {
    private final int capacity;
    private final Map<Integer, Slot> byPid = new HashMap<>();
    private final SecureRandom random = new SecureRandom();
    private int nextPid;

    /** One session's slot. */
    record Slot(BackendKey key, Interrupts interrupts, SocketClientChannel channel) {
    }

    BackendSlots(int capacity, int firstPid) {
        this.capacity = capacity;
        this.nextPid = firstPid;
    }

    /**
     * Takes a free slot.
     *
     * @throws PgException FATAL 53300 "sorry, too many clients already" when none is free
     */
    synchronized Slot acquire(SocketClientChannel channel) {
        if (byPid.size() >= capacity) {
            throw PgException.fatal(SqlState.TOO_MANY_CONNECTIONS, "sorry, too many clients already");
        }
        int pid;
        do {
            pid = nextPid;
            nextPid = nextPid == Integer.MAX_VALUE ? 1000 : nextPid + 1;
        } while (byPid.containsKey(pid));
        Slot slot = new Slot(new BackendKey(pid, random.nextInt()), new Interrupts(), channel);
        byPid.put(pid, slot);
        return slot;
    }

    synchronized void release(Slot slot) {
        byPid.remove(slot.key().pid(), slot);
        notifyAll();
    }

    synchronized Slot find(int pid) {
        return byPid.get(pid);
    }

    synchronized List<Slot> active() {
        return new ArrayList<>(byPid.values());
    }

    synchronized int count() {
        return byPid.size();
    }

    /** Waits until no session holds a slot, or the deadline passes; true when all are gone. */
    synchronized boolean awaitEmpty(long deadlineNanos) throws InterruptedException {
        while (!byPid.isEmpty()) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
