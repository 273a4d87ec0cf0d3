/*
 * Postmaster: the server's front door and supervisor (PostgreSQL: postmaster/postmaster.c).
 *
 * It locks the data directory (postmaster.pid), opens the listen sockets and gives every new
 * connection its own virtual thread, which reads the startup packet, takes a backend slot,
 * authenticates and hands over to the BackendService (ConnectionStartup). The postmaster never
 * runs SQL. It answers CancelRequests, reloads settings on SIGHUP and runs the three shutdown
 * modes: smart waits for sessions, fast ends them with FATAL 57P01, immediate exits at once.
 *
 * It listens from the start, before crash recovery is done: until the wal bundle registers
 * Recovery and the BackendService is there, connections get FATAL 57P03 "the database system is
 * starting up" (postmaster.pid says "starting"); then it logs "database system is ready to accept
 * connections". After a PANIC (CrashRestart) it ends every session and has shared memory
 * reinitialised in the same process; meanwhile connections get "the database system is in
 * recovery mode", and it is ready again once recovery is.
 *
 * Entry points: the DS activation (server start), requestShutdown(), reloadConfiguration(),
 * cancelBackend().
 * See also: ConnectionStartup -- one connection until hand-over; StartupPacketReader -- the
 * startup packet; BackendSlots -- max_connections and BackendKeyData; Listeners -- sockets;
 * PidFile -- postmaster.pid; PostmasterSignals -- signal handlers; tls.ServerTls -- the SSL
 * context (loaded at start, reloaded on SIGHUP); BackgroundWorkers -- the supervised workers
 * (logger, ...); PgStatActivity, PgStatDatabase -- the statistics views; CrashRestart -- PANICs.
 */
package org.osgres.postmaster;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgres.api.auth.ClientAuthentication;
import org.osgres.api.auth.RoleCatalog;
import org.osgres.api.checkpoint.CheckpointRequest;
import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.lifecycle.Panic;
import org.osgres.api.lifecycle.ServerProcess;
import org.osgres.api.session.BackendService;
import org.osgres.api.session.ClientAddress;
import org.osgres.api.shmem.SharedMemoryReset;
import org.osgres.api.wal.Recovery;
import org.osgres.postmaster.tls.ServerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Component(immediate = true, service = Postmaster.class)
public final class Postmaster {
    private static final Logger LOG = LoggerFactory.getLogger(Postmaster.class);
    /** How long a fast shutdown waits for sessions to send their FATAL before closing sockets. */
    private static final long FAST_SHUTDOWN_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** Where the postmaster is in its life (PostgreSQL: pmState, much reduced). */
    enum State { STARTING, RUNNING, CRASH_RECOVERY, SMART_SHUTDOWN, STOPPING, STOPPED }

    private final BundleContext context;
    private final Settings settings;
    private final ClientAuthentication authentication;
    private final RoleCatalog roles;
    private final BackendSlots slots;
    private final Listeners listeners = new Listeners();
    private final ScheduledExecutorService timers;
    private final ServerTls tls;
    private volatile State state = State.STARTING;
    private PidFile pidFile;
    /**
     * The wal bundle registers Recovery only when crash recovery is done, and the backend needs
     * the recovered catalog: until both are here, connections are refused (57P03).
     */
    private volatile Recovery recovery;
    private volatile BackendService backend;
    /** The shmem bundle's reinitialisation after a crash; absent in setups without storage. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile SharedMemoryReset shmemReset;
    private final CrashRestart crashRestart;
    /** The checkpointer, for the shutdown checkpoint; absent in setups without storage. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile CheckpointRequest checkpointer;

    @Activate
    public Postmaster(BundleContext context, @Reference Settings settings,
            @Reference ClientAuthentication authentication, @Reference BackendSlots slots, @Reference RoleCatalog roles) {
        this.context = context;
        this.settings = settings;
        this.authentication = authentication;
        this.roles = roles;
        this.crashRestart = new CrashRestart(new CrashOwner());
        int pid = (int) ProcessHandle.current().pid();
        this.slots = slots;
        this.tls = new ServerTls(settings);
        this.timers = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("postmaster-timer").unstarted(r));
        try {
            start(pid);
        } catch (PgException e) {
            LOG.error("{}:  {}{}{}", e.severity(), e.getMessage(), e.detail() == null ? "" : "\nDETAIL:  " + e.detail(),
                    e.hint() == null ? "" : "\nHINT:  " + e.hint());
            stopResources();
            ServerProcess.exit(context, 1);
            throw e;
        } catch (IOException e) {
            LOG.error("FATAL:  could not start the postmaster: {}", e.getMessage());
            stopResources();
            ServerProcess.exit(context, 1);
            throw new PgException(SqlState.IO_ERROR, e.getMessage(), e);
        }
    }

    private void start(int pid) throws IOException {
        int port = settings.getInt("port");
        pidFile = PidFile.create(settings.dataDirectory().toAbsolutePath(), pid, Instant.now().getEpochSecond(), port,
                "", firstOf(settings.get("listen_addresses")));
        tls.initialize();
        listeners.open(settings.get("listen_addresses"), settings.get("unix_socket_directories"), port);
        pidFile.setSockets(listeners.firstSocketDirectory(), firstOf(settings.get("listen_addresses")));
        if (Boolean.parseBoolean(context.getProperty(ServerProcess.HANDLE_SIGNALS))) {
            PostmasterSignals.install(this);
        }
        Panic.setHandler(crashRestart::crashed);
        listeners.startAccepting(this::startConnection);
        readyIfRecovered();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindRecovery(Recovery r) {
        recovery = r;
        readyIfRecovered();
    }

    void unbindRecovery(Recovery r) {
        if (recovery == r) {
            recovery = null;
            notReady();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindBackend(BackendService b) {
        backend = b;
        readyIfRecovered();
    }

    void unbindBackend(BackendService b) {
        if (backend == b) {
            backend = null;
            notReady();
        }
    }

    /** Recovery is done and the backend is here: connections are taken from now on. */
    private void readyIfRecovered() {
        synchronized (this) {
            if (pidFile == null || recovery == null || backend == null
                    || state != State.STARTING && state != State.CRASH_RECOVERY || crashRestart.inProgress()) {
                return;
            }
            state = State.RUNNING;
        }
        setStatus(PidFile.STATUS_READY);
        LOG.info("database system is ready to accept connections");
    }

    /** The backend or recovery went away (a crash restart stops them): refuse connections meanwhile. */
    private synchronized void notReady() {
        if (state == State.RUNNING) {
            state = State.STARTING;
            setStatus(PidFile.STATUS_STARTING);
        }
    }

    private static String firstOf(String list) {
        var items = Listeners.splitList(list);
        return items.isEmpty() ? "" : items.get(0);
    }

    private void startConnection(SocketChannel socket, ClientAddress origin) {
        SocketClientChannel channel = new SocketClientChannel(socket, origin, tls);
        Thread.ofVirtual().name("backend-startup").start(new ConnectionStartup(this, channel, origin));
    }

    /** Called after the startup packet: FATAL 57P03 when the server is not taking new sessions. */
    void checkAcceptingConnections() {
        switch (state) {
            case RUNNING -> { }
            case STARTING -> throw PgException.fatal(SqlState.CANNOT_CONNECT_NOW, "the database system is starting up");
            case CRASH_RECOVERY -> throw PgException.fatal(SqlState.CANNOT_CONNECT_NOW, "the database system is in recovery mode");
            default -> throw PgException.fatal(SqlState.CANNOT_CONNECT_NOW, "the database system is shutting down");
        }
    }

    /** Closes a connection that has not authenticated within authentication_timeout. */
    ScheduledFuture<?> scheduleAuthenticationTimeout(SocketClientChannel channel) {
        long seconds = settings.getInt("authentication_timeout");
        return timers.schedule(channel::close, seconds, TimeUnit.SECONDS);
    }

    /** A CancelRequest: cancels the session's running statement if pid and secret match. */
    void cancelBackend(int pid, int secret) {
        BackendSlots.Slot slot = slots.find(pid);
        if (slot == null || slot.key().secret() != secret) {
            LOG.info("wrong key in cancel request for process {}", pid);
            return;
        }
        slot.interrupts().requestCancel();
    }

    BackendSlots slots() {
        return slots;
    }

    RoleCatalog roles() {
        return roles;
    }

    Settings settings() {
        return settings;
    }

    ClientAuthentication authentication() {
        return authentication;
    }

    /** The backend to hand a connection to; 57P03 when it went away since the state check. */
    BackendService backend() {
        BackendService b = backend;
        if (b == null) {
            checkAcceptingConnections();
            throw PgException.fatal(SqlState.CANNOT_CONNECT_NOW, "the database system is starting up");
        }
        return b;
    }

    CrashRestart crashRestart() {
        return crashRestart;
    }

    /** What CrashRestart needs of the postmaster. */
    private final class CrashOwner implements CrashRestart.Owner {
        @Override
        public BackendSlots slots() {
            return slots;
        }

        @Override
        public Settings settings() {
            return settings;
        }

        @Override
        public SharedMemoryReset shmemReset() {
            return shmemReset;
        }

        @Override
        public boolean enterCrashRecovery() {
            synchronized (Postmaster.this) {
                if (state != State.RUNNING && state != State.STARTING && state != State.CRASH_RECOVERY) {
                    return false;
                }
                state = State.CRASH_RECOVERY;
            }
            setStatus(PidFile.STATUS_STARTING);
            return true;
        }

        @Override
        public void reinitialized() {
            readyIfRecovered();
        }

        @Override
        public void exitAfterCrash() {
            // nothing of the old shared state may be written: no shutdown checkpoint, as a
            // postmaster that exits after a crash leaves recovery to the next start
            synchronized (Postmaster.this) {
                state = State.STOPPING;
            }
            stopResources();
            LOG.info("database system is shut down");
            Runtime.getRuntime().halt(1);
        }
    }

    State state() {
        return state;
    }

    /** SIGHUP: re-read postgresql.conf and pg_hba.conf (PostgreSQL: SIGHUP_handler). */
    void reloadConfiguration() {
        LOG.info("received SIGHUP, reloading configuration files");
        settings.reload();
        tls.reload();
        authentication.reload();
    }

    /** SIGTERM, SIGINT (and SIGQUIT where the JVM lets Java see it). */
    void requestShutdown(ShutdownMode mode) {
        synchronized (this) {
            if (state == State.STOPPING || state == State.STOPPED) {
                return;
            }
            if (mode == ShutdownMode.SMART && state == State.SMART_SHUTDOWN) {
                return;
            }
            LOG.info("received {} shutdown request", mode.label());
            state = mode == ShutdownMode.SMART ? State.SMART_SHUTDOWN : State.STOPPING;
        }
        setStatus(PidFile.STATUS_STOPPING);
        if (mode == ShutdownMode.IMMEDIATE) {
            Runtime.getRuntime().halt(0);
        }
        Thread.ofPlatform().name("postmaster-shutdown").start(() -> shutdown(mode));
    }

    private void shutdown(ShutdownMode mode) {
        try {
            if (mode == ShutdownMode.SMART) {
                slots.awaitEmpty(Long.MAX_VALUE);
                state = State.STOPPING;
            } else {
                terminateSessions();
            }
            LOG.info("shutting down");
            shutdownCheckpoint();
            stopResources();
            LOG.info("database system is shut down");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ServerProcess.exit(context, 0);
        }
    }

    /**
     * Every session is gone: the checkpointer writes the shutdown checkpoint (PostgreSQL: the
     * postmaster signals the checkpointer, which runs ShutdownXLOG) before postmaster.pid goes.
     * Without a checkpointer, or when it fails, the wal bundle writes one as it stops.
     */
    private void shutdownCheckpoint() {
        CheckpointRequest c = checkpointer;
        if (c == null) {
            return;
        }
        try {
            c.shutdownCheckpoint();
        } catch (RuntimeException e) {
            LOG.error("shutdown checkpoint failed: {}", e.getMessage(), e);
        }
    }

    /** Fast shutdown: every session gets FATAL 57P01 at its next safe point. */
    private void terminateSessions() throws InterruptedException {
        if (slots.count() > 0) {
            LOG.info("aborting any active transactions");
        }
        for (BackendSlots.Slot slot : slots.active()) {
            slots.terminate(slot.key().pid());
        }
        if (!slots.awaitEmpty(System.nanoTime() + FAST_SHUTDOWN_GRACE_NANOS)) {
            for (BackendSlots.Slot slot : slots.active()) {
                slot.channel().close();
            }
            slots.awaitEmpty(System.nanoTime() + FAST_SHUTDOWN_GRACE_NANOS);
        }
    }

    private synchronized void stopResources() {
        Panic.setHandler(null);
        listeners.close();
        timers.shutdownNow();
        if (pidFile != null) {
            try {
                pidFile.delete();
            } catch (IOException e) {
                LOG.warn("could not remove file \"{}\": {}", pidFile.path(), e.getMessage());
            }
            pidFile = null;
        }
        state = State.STOPPED;
    }

    private synchronized void setStatus(String status) {
        if (pidFile == null) {
            return;
        }
        try {
            pidFile.setStatus(status);
        } catch (IOException e) {
            LOG.warn("could not write lock file \"{}\": {}", pidFile.path(), e.getMessage());
        }
    }

    /** The framework is stopping (or a reference went away): a fast shutdown, without exiting. */
    @Deactivate
    void deactivate() {
        boolean running;
        synchronized (this) {
            running = state != State.STOPPED && state != State.STOPPING;
            if (running) {
                state = State.STOPPING;
            }
        }
        if (running) {
            try {
                terminateSessions();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            shutdownCheckpoint();
        }
        stopResources();
    }
}
