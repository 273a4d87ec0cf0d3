package org.osgres.postmaster;

import java.io.IOException;
import java.util.concurrent.ScheduledFuture;

import org.osgres.api.auth.AuthExchange;
import org.osgres.api.auth.AuthRequest;
import org.osgres.api.auth.Role;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;
import org.osgres.api.protocol.ErrorResponses;
import org.osgres.api.protocol.FrontendMessage;
import org.osgres.api.protocol.MessageBuilder;
import org.osgres.api.session.ClientAddress;
import org.osgres.api.session.LogContext;
import org.osgres.api.session.StartupInfo;
import org.osgres.postmaster.tls.TlsTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Everything between accept() and the backend taking over, on the connection's own thread
 * (PostgreSQL: BackendInitialize, then the start of InitPostgres): read the startup packet,
 * refuse the connection if the server is not accepting, take a backend slot, authenticate, send
 * AuthenticationOk and hand over to the backend. authentication_timeout bounds all of it before
 * the hand-over. The role's CONNECTION LIMIT and superuser_reserved_connections are checked once
 * the client has authenticated, as InitPostgres does. log_connections lines are written here, and
 * the thread's LogContext (MDC) is filled for log_line_prefix.
 */
final class ConnectionStartup implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionStartup.class);
    private static final char AUTHENTICATION = 'R';
    private static final int AUTH_REQ_OK = 0;
    private static final char PASSWORD_MESSAGE = 'p';

    private final Postmaster postmaster;
    private final SocketClientChannel channel;
    private final ClientAddress origin;

    ConnectionStartup(Postmaster postmaster, SocketClientChannel channel, ClientAddress origin) {
        this.postmaster = postmaster;
        this.channel = channel;
        this.origin = origin;
    }

    @Override
    public void run() {
        BackendSlots.Slot slot = null;
        ScheduledFuture<?> timeout = postmaster.scheduleAuthenticationTimeout(channel);
        try {
            MDC.put(LogContext.REMOTE_HOST, origin.hostForMessages());
            if (!origin.isLocal()) {
                MDC.put(LogContext.REMOTE_PORT, Integer.toString(origin.remote().getPort()));
            }
            if (postmaster.settings().getBool("log_connections")) {
                LOG.info(origin.isLocal() ? "connection received: host=[local]"
                        : "connection received: host=" + origin.hostForMessages() + " port=" + origin.remote().getPort());
            }
            StartupPacketReader.Request request = new StartupPacketReader(channel).read();
            if (request instanceof StartupPacketReader.Cancel cancel) {
                postmaster.cancelBackend(cancel.pid(), cancel.secret());
                return;
            }
            if (!(request instanceof StartupPacketReader.Startup startup)) {
                return;
            }
            postmaster.checkAcceptingConnections();
            ClientAddress origin = channel.origin() != null ? channel.origin() : this.origin; // with TLS, if any
            StartupInfo info = new StartupInfo(startup.version(), startup.parameters(), origin);
            slot = postmaster.slots().acquire(channel);
            final BackendSlots.Slot owned = slot;
            MDC.put(LogContext.PID, Integer.toString(owned.key().pid()));
            MDC.put(LogContext.BACKEND_TYPE, BackendSlots.CLIENT_BACKEND);
            MDC.put(LogContext.SESSION_START, Long.toHexString(owned.status().backendStart().toEpochSecond()));
            MDC.put(LogContext.USER, info.user());
            MDC.put(LogContext.DATABASE, info.database());
            String applicationName = startup.parameters().get("application_name");
            MDC.put(LogContext.APPLICATION_NAME, applicationName == null ? "" : applicationName);
            MDC.put(LogContext.COMMAND_TAG, "authentication"); // PostgreSQL's ps display while it authenticates
            slot.interrupts().setWaker(channel::shutdownInput);
            postmaster.authentication().authenticate(new AuthRequest(info.user(), info.database(), origin),
                    new Exchange());
            sendAuthenticationOk();
            timeout.cancel(false);
            if (postmaster.settings().getBool("log_connections")) {
                // PostgreSQL names the application only when the startup packet did, and the TLS parameters
                var tls = origin.tls();
                LOG.info("connection authorized: user={} database={}{}{}", info.user(), info.database(),
                        applicationName == null ? "" : " application_name=" + applicationName,
                        tls == null ? "" : " SSL enabled (protocol=" + tls.protocol() + ", cipher=" + tls.cipher()
                                + ", bits=" + tls.bits() + ")");
            }
            owned.status().setIdentity(info.user(), info.database(), origin);
            TlsTransport.reportStatus(owned.status(), origin.tls());
            checkLimits(owned, info.user());
            postmaster.backend().runSession(channel, info, owned.key(), owned.interrupts(), owned.status());
        } catch (PgException e) {
            if (e.severity() == Severity.PANIC) {
                // logged by the crash handling; a PANIC parked by Panic.raise was handed over already
                if (!postmaster.crashRestart().isReported(e)) {
                    postmaster.crashRestart().crashed("server process", e);
                }
                if (!channel.isClosed()) {
                    send(e, Severity.PANIC);
                }
            } else if (!channel.isClosed()) {
                report(e);
            }
        } catch (IOException e) {
            LOG.debug("connection ended during startup: {}", e.toString());
        } catch (RuntimeException | Error e) {
            LOG.error("unexpected failure in connection startup or session", e);
            report(new PgException(SqlState.INTERNAL_ERROR, String.valueOf(e.getMessage())).withSeverity(Severity.FATAL));
        } finally {
            timeout.cancel(false);
            if (slot != null) {
                postmaster.slots().release(slot);
            }
            channel.close();
            MDC.clear();
        }
    }

    /** The role's CONNECTION LIMIT and superuser_reserved_connections (PostgreSQL: InitPostgres). */
    private void checkLimits(BackendSlots.Slot slot, String user) {
        Role role = postmaster.roles().find(user).orElse(null);
        if (role == null) {
            return; // the backend reports that the role does not exist
        }
        postmaster.slots().checkLimits(slot, role.superuser(), role.connectionLimit());
    }

    /** Sends a FATAL (startup errors are always FATAL) and logs it as PostgreSQL does. */
    private void report(PgException e) {
        Severity severity = e.severity().isError() ? (e.severity() == Severity.ERROR ? Severity.FATAL : e.severity())
                : Severity.FATAL;
        String logDetail = e.logDetail() != null ? e.logDetail() : e.detail();
        if (logDetail == null) {
            LOG.info("{}:  {}", severity, e.getMessage());
        } else {
            LOG.info("{}:  {}\nDETAIL:  {}", severity, e.getMessage(), logDetail);
        }
        send(e, severity);
    }

    private void send(PgException e, Severity severity) {
        MessageBuilder m = new MessageBuilder();
        ErrorResponses.write(m, severity, e);
        try {
            channel.write(m);
            channel.flush();
        } catch (IOException ignored) {
            // the client is gone; nothing more to tell it
        }
    }

    private void sendAuthenticationOk() throws IOException {
        MessageBuilder m = new MessageBuilder();
        m.begin(AUTHENTICATION).putInt32(AUTH_REQ_OK).end();
        channel.write(m);
    }

    /** The authentication conversation over this connection. */
    private final class Exchange implements AuthExchange {
        @Override
        public void sendRequest(int authCode, byte[] data) throws IOException {
            MessageBuilder m = new MessageBuilder();
            m.begin(AUTHENTICATION).putInt32(authCode).putBytes(data).end();
            channel.write(m);
            channel.flush();
        }

        @Override
        public FrontendMessage readResponse() throws IOException {
            FrontendMessage message = channel.readMessage();
            if (message != null && message.type() != PASSWORD_MESSAGE) {
                throw PgException.fatal(SqlState.PROTOCOL_VIOLATION,
                        "expected password response, got message type " + (int) message.type());
            }
            return message;
        }
    }
}
