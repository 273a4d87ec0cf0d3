package org.osgres.postmaster;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.session.BackendKey;
import org.osgres.api.session.BackendRegistry;
import org.osgres.api.session.BackendStatus;
import org.osgres.api.session.Interrupts;

/**
 * The backend slots (PostgreSQL: the PGPROC array that InitProcess takes a slot from, and the
 * postmaster's BackendList). A session takes a slot after its startup packet and gives it back
 * when it ends; max_connections slots exist. Each slot has a pid-like number, unique among live
 * sessions, and a random secret for CancelRequest. Once a session's role is known, checkLimits()
 * applies the role's CONNECTION LIMIT and superuser_reserved_connections (InitPostgres's
 * checks); per-database CONNECTION LIMIT waits for the database catalog. Background workers get
 * pids and pg_stat_activity entries here too, without taking a slot.
 *
 * <p>It is a component of its own, the BackendRegistry behind pg_stat_activity,
 * pg_cancel_backend() and pg_terminate_backend(), so that the SQL engine can use it without
 * depending on the postmaster (which depends on the backend, which depends on the engine).
 */
@Component(service = {BackendSlots.class, BackendRegistry.class})
public final class BackendSlots implements BackendRegistry {
    /** pg_stat_activity.backend_type of a session. */
    static final String CLIENT_BACKEND = "client backend";
    private final int capacity;
    private final int reserved;
    private final Map<Integer, Slot> byPid = new HashMap<>();
    /** Background workers' entries; they take no slot (PostgreSQL: auxiliary processes and bgworkers). */
    private final Map<Integer, BackendStatus> workers = new java.util.LinkedHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private int nextPid;

    /** One session's slot. */
    record Slot(BackendKey key, Interrupts interrupts, BackendStatus status, SocketClientChannel channel) {
    }

    /** max_connections slots; pids start just above the postmaster's own. */
    @Activate
    public BackendSlots(@Reference Settings settings) {
        this(settings.getInt("max_connections"), settings.getInt("superuser_reserved_connections"),
                (int) ProcessHandle.current().pid() + 1);
    }

    BackendSlots(int capacity, int firstPid) {
        this(capacity, 0, firstPid);
    }

    BackendSlots(int capacity, int reserved, int firstPid) {
        this.capacity = capacity;
        this.reserved = reserved;
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
        int pid = nextPid();
        Slot slot = new Slot(new BackendKey(pid, random.nextInt()), new Interrupts(),
                new BackendStatus(pid, CLIENT_BACKEND, OffsetDateTime.now()), channel);
        byPid.put(pid, slot);
        return slot;
    }

    /**
     * The checks PostgreSQL makes in InitPostgres once the role is known, for a session that
     * already holds its slot: the role's CONNECTION LIMIT (InitializeSessionUserId, counting this
     * session), then the slots reserved for superusers (HaveNFreeProcs). Superusers pass both.
     * The slot's status must carry the user name already.
     *
     * @param connectionLimit the role's rolconnlimit, -1 for none
     * @throws PgException FATAL 53300 with PostgreSQL's message
     */
    synchronized void checkLimits(Slot slot, boolean superuser, int connectionLimit) {
        if (superuser) {
            return;
        }
        if (connectionLimit >= 0) {
            String user = slot.status().user();
            int sessions = 0;
            for (Slot s : byPid.values()) {
                if (s.status().backendType().equals(CLIENT_BACKEND) && user.equals(s.status().user())) {
                    sessions++;
                }
            }
            if (sessions > connectionLimit) {
                throw PgException.fatal(SqlState.TOO_MANY_CONNECTIONS, "too many connections for role \"" + user + "\"");
            }
        }
        if (reserved > 0 && capacity - byPid.size() < reserved) {
            throw PgException.fatal(SqlState.TOO_MANY_CONNECTIONS,
                    "remaining connection slots are reserved for non-replication superuser connections");
        }
    }

    private int nextPid() {
        int pid;
        do {
            pid = nextPid;
            nextPid = nextPid == Integer.MAX_VALUE ? 1000 : nextPid + 1;
        } while (byPid.containsKey(pid) || workers.containsKey(pid));
        return pid;
    }

    /** A background worker starts: its pg_stat_activity entry, with a pid of its own. */
    synchronized BackendStatus registerWorker(String backendType) {
        BackendStatus status = new BackendStatus(nextPid(), backendType, OffsetDateTime.now());
        workers.put(status.pid(), status);
        return status;
    }

    synchronized void unregisterWorker(BackendStatus status) {
        workers.remove(status.pid(), status);
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

    @Override
    public synchronized List<BackendStatus> backends() {
        List<BackendStatus> out = new ArrayList<>(byPid.size() + workers.size());
        for (Slot s : byPid.values()) {
            out.add(s.status());
        }
        out.addAll(workers.values());
        out.sort(java.util.Comparator.comparingInt(BackendStatus::pid));
        return out;
    }

    @Override
    public boolean cancel(int pid) {
        Slot s = find(pid);
        if (s == null) {
            return false;
        }
        s.interrupts().requestCancel();
        return true;
    }

    @Override
    public boolean terminate(int pid) {
        Slot s = find(pid);
        if (s == null) {
            return false;
        }
        s.interrupts().requestTerminate(PgException.fatal(SqlState.ADMIN_SHUTDOWN,
                "terminating connection due to administrator command"));
        return true;
    }

    synchronized int count() {
        return byPid.size();
    }

    /** Waits until no session holds a slot, or the deadline passes; true when all are gone. */
    synchronized boolean awaitEmpty(long deadlineNanos) throws InterruptedException {
        return awaitOnly(0, deadlineNanos);
    }

    /** Waits until no session but {@code keepPid}'s (0: none) holds a slot, or the deadline passes. */
    synchronized boolean awaitOnly(int keepPid, long deadlineNanos) throws InterruptedException {
        while (byPid.size() > (byPid.containsKey(keepPid) ? 1 : 0)) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }
}
