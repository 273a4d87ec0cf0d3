package org.osgres.postmaster;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.lifecycle.BackgroundWorker;
import org.osgres.api.lifecycle.Panic;
import org.osgres.api.session.BackendStatus;
import org.osgres.api.session.LogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The postmaster's supervision of background workers (PostgreSQL: postmaster/bgworker.c and
 * the reaper in postmaster.c). Every BackgroundWorker service gets a platform thread of its own
 * and a pg_stat_activity entry with the worker's backend_type. A worker that throws is logged as
 * PostgreSQL logs a worker that exits with status 1, and started again, with a new pid, after
 * its restart delay; the postmaster and every session go on. A worker whose service goes away
 * is interrupted and not restarted. A worker that PANICs is handed to the crash restart instead.
 *
 * <p>Entry points: the DS bind/unbind of BackgroundWorker services.
 * See also: BackendSlots -- the pids and pg_stat_activity entries workers share with sessions.
 */
@Component(immediate = true, service = BackgroundWorkers.class)
public final class BackgroundWorkers {
    private static final Logger LOG = LoggerFactory.getLogger(BackgroundWorkers.class);

    private final BackendSlots slots;
    private final Map<BackgroundWorker, Thread> running = new ConcurrentHashMap<>();
    private volatile boolean active;

    @Activate
    public BackgroundWorkers(@Reference BackendSlots slots) {
        this.slots = slots;
        this.active = true;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addWorker(BackgroundWorker worker) {
        synchronized (this) {
            if (!active) {
                return;
            }
            Thread t = Thread.ofPlatform().daemon().name(worker.name()).unstarted(() -> supervise(worker));
            running.put(worker, t);
            t.start();
        }
    }

    void removeWorker(BackgroundWorker worker) {
        Thread t = running.remove(worker);
        if (t != null) {
            t.interrupt();
        }
    }

    /** Runs the worker until it returns or the service goes away; restarts it after a failure. */
    private void supervise(BackgroundWorker worker) {
        while (running.get(worker) == Thread.currentThread()) {
            BackendStatus status = slots.registerWorker(worker.backendType());
            MDC.put(LogContext.PID, Integer.toString(status.pid()));
            MDC.put(LogContext.BACKEND_TYPE, worker.backendType());
            try {
                worker.run(status);
                return; // done: exit code 0, not restarted
            } catch (InterruptedException e) {
                return;
            } catch (Exception | Error e) {
                if (running.get(worker) != Thread.currentThread()) {
                    return;
                }
                if (e instanceof PgException p && p.severity() == Severity.PANIC && Panic.report(worker.name(), p)) {
                    return; // the crash restart stops this worker's service and starts a new one
                }
                // the worker's own last words carry its pid; the postmaster's note carries the postmaster's
                LOG.error("background worker \"{}\": {}", worker.name(), String.valueOf(e), e);
                MDC.clear();
                LOG.info("background worker \"{}\" (PID {}) exited with exit code 1", worker.name(), status.pid());
            } finally {
                slots.unregisterWorker(status);
                MDC.clear();
            }
            try {
                TimeUnit.SECONDS.sleep(Math.max(0, worker.restartDelaySeconds()));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The names and pids of the running workers, for tests. */
    int runningCount() {
        return running.size();
    }

    @Deactivate
    void deactivate() {
        active = false;
        for (Thread t : running.values()) {
            t.interrupt();
        }
        running.clear();
    }
}
