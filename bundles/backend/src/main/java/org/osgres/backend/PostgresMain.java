/*
 * PostgresMain: the backend, one client session from AuthenticationOk to Terminate
 * (PostgreSQL: tcop/postgres.c PostgresMain, utils/init/postinit.c InitPostgres).
 *
 * The postmaster calls runSession() on the connection's own virtual thread once the client is
 * authenticated. It checks the database, applies the startup packet's settings (PostgreSQL's
 * PGC_S_CLIENT source, "options" with -c and --name=value), reports the GUC_REPORT settings
 * with ParameterStatus, sends BackendKeyData, and then runs the message loop.
 *
 * Entry points: runSession().
 * It owns the one scheduler thread all sessions' timeouts share, and writes the
 * log_disconnections line when a session ends.
 *
 * See also: QueryProtocol -- the v3 message loop; SessionTimeouts -- statement and idle timeouts; Session -- the SessionContext statements see;
 * SessionSettings -- SET/RESET/SHOW on top of the server's settings; BackendMessages -- encoding.
 */
package org.osgres.backend;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgres.api.auth.Role;
import org.osgres.api.auth.RoleCatalog;
import org.osgres.api.buffer.BufferManager;
import org.osgres.api.catalog.DatabaseInfo;
import org.osgres.api.catalog.SystemCatalog;
import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;
import org.osgres.api.protocol.ClientChannel;
import org.osgres.api.protocol.ErrorResponses;
import org.osgres.api.protocol.MessageBuilder;
import org.osgres.api.session.BackendKey;
import org.osgres.api.session.BackendService;
import org.osgres.api.session.BackendStatus;
import org.osgres.api.session.DatabaseStatistics;
import org.osgres.api.session.Interrupts;
import org.osgres.api.session.StartupInfo;
import org.osgres.api.sql.SqlEngine;
import org.osgres.api.xact.TransactionManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Component(service = BackendService.class)
public final class PostgresMain implements BackendService {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresMain.class);
    /** Startup packet keys that are not settings. */
    private static final Set<String> CONNECTION_KEYS = Set.of("user", "database", "options", "replication");
    /** The databases of a new cluster by oid, for a server without the catalog bundle. */
    private static final Map<String, Integer> DATABASES = Map.of("postgres", 5, "template1", 1);
    private static final String TEMPLATE0 = "template0";

    private final SqlEngine engine;
    private final Settings settings;
    private final RoleCatalog roles;

    /** The one timer thread of every session's timeouts (SessionTimeouts). */
    private final ScheduledThreadPoolExecutor timers;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DatabaseStatistics statistics;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TransactionManager transactions;
    /**
     * pg_database. Mandatory, so the postmaster (which needs this service) accepts connections
     * only once the catalogs exist, as PostgreSQL's only after startup; null only for a
     * PostgresMain built with new (tests without storage), which then knows postgres and
     * template1.
     */
    @Reference
    private SystemCatalog catalog;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile BufferManager buffers;

    @Activate
    public PostgresMain(@Reference SqlEngine engine, @Reference Settings settings, @Reference RoleCatalog roles) {
        this.engine = engine;
        this.settings = settings;
        this.roles = roles;
        this.timers = new ScheduledThreadPoolExecutor(1,
                r -> Thread.ofPlatform().daemon().name("backend-timeouts").unstarted(r));
        this.timers.setRemoveOnCancelPolicy(true);
    }

    @Deactivate
    void deactivate() {
        timers.shutdownNow();
    }

    @Override
    public void runSession(ClientChannel channel, StartupInfo startup, BackendKey key, Interrupts interrupts,
            BackendStatus status) {
        try {
            Session session;
            try {
                session = initialize(channel, startup, key, interrupts, status);
            } catch (PgException e) {
                PgException fatal = e.severity() == Severity.FATAL ? e : e.withSeverity(Severity.FATAL);
                LOG.info("FATAL:  {}", fatal.getMessage());
                MessageBuilder m = new MessageBuilder();
                ErrorResponses.write(m, fatal);
                channel.write(m);
                channel.flush();
                return;
            }
            session.setStatistics(statistics);
            SessionTimeouts timeouts = new SessionTimeouts(timers, interrupts);
            QueryProtocol protocol = new QueryProtocol(channel, engine, session, timeouts);
            boolean panicked = false;
            try {
                protocol.run();
            } catch (PgException e) {
                panicked = e.severity() == Severity.PANIC;
                throw e;
            } finally {
                timeouts.stopAll();
                if (!panicked) { // after a PANIC nothing of this backend's state may be written: recovery aborts
                    session.abortAnyTransaction();
                    session.reportDisconnect(protocol.end());
                    logDisconnection(session, startup, status);
                }
            }
        } catch (IOException e) {
            LOG.debug("session {} ended: {}", key.pid(), e.toString());
        }
    }

    /**
     * log_disconnections (PostgreSQL: log_disconnections() in tcop/postgres.c): the session's
     * time since the backend started, user, database, host and port.
     */
    private static void logDisconnection(Session session, StartupInfo startup, BackendStatus status) {
        if (!"on".equals(session.getSetting("log_disconnections"))) {
            return;
        }
        long millis = java.time.Duration.between(status.backendStart(), java.time.OffsetDateTime.now()).toMillis();
        var remote = startup.origin().remote();
        LOG.info(String.format(Locale.ROOT, "disconnection: session time: %d:%02d:%02d.%03d user=%s database=%s host=%s%s",
                millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60, millis % 1000, session.user(),
                session.database(), startup.origin().hostForMessages(), remote == null ? "" : " port=" + remote.getPort()));
    }

    private Session initialize(ClientChannel channel, StartupInfo startup, BackendKey key, Interrupts interrupts,
            BackendStatus status) throws IOException {
        // PostgreSQL: InitializeSessionUserId, then the database (InitPostgres)
        Role role = roles.find(startup.user()).orElseThrow(() -> PgException.fatal(
                SqlState.INVALID_AUTHORIZATION_SPECIFICATION, "role \"" + startup.user() + "\" does not exist"));
        if (!role.canLogin()) {
            throw PgException.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "role \"" + role.name() + "\" is not permitted to log in");
        }
        String database = startup.database();
        int databaseOid = databaseOid(database);
        SessionSettings sessionSettings = new SessionSettings(settings);
        sessionSettings.setInternal("is_superuser", role.superuser() ? "on" : "off");
        sessionSettings.setInternal("session_authorization", startup.user());
        for (Map.Entry<String, String> p : startup.parameters().entrySet()) {
            if (!CONNECTION_KEYS.contains(p.getKey())) {
                applyStartupSetting(sessionSettings, p.getKey(), p.getValue());
            }
        }
        String options = startup.parameters().get("options");
        if (options != null) {
            for (String[] nv : parseOptions(options)) {
                applyStartupSetting(sessionSettings, nv[0], nv[1]);
            }
        }
        Session session = new Session(channel, key, interrupts, status, startup.user(), database, databaseOid,
                sessionSettings, transactions, buffers);
        MessageBuilder m = new MessageBuilder();
        for (Map.Entry<String, String> change : sessionSettings.takeReportChanges().entrySet()) {
            BackendMessages.parameterStatus(m, change.getKey(), change.getValue());
        }
        BackendMessages.backendKeyData(m, key);
        channel.write(m);
        return session;
    }

    /** The database's oid from pg_database (InitPostgres' GetDatabaseTuple), or FATAL. */
    private int databaseOid(String database) {
        SystemCatalog c = catalog;
        if (c == null) {
            if (TEMPLATE0.equals(database)) {
                throw notAccepting(database);
            }
            Integer oid = DATABASES.get(database);
            if (oid == null) {
                throw PgException.fatal(SqlState.UNDEFINED_DATABASE, "database \"" + database + "\" does not exist");
            }
            return oid;
        }
        DatabaseInfo info = c.database(database);
        if (info == null) {
            throw PgException.fatal(SqlState.UNDEFINED_DATABASE, "database \"" + database + "\" does not exist");
        }
        if (!info.allowConnections()) {
            throw notAccepting(database);
        }
        return info.oid();
    }

    private static PgException notAccepting(String database) {
        return PgException.fatal(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
                "database \"" + database + "\" is not currently accepting connections");
    }

    private static void applyStartupSetting(SessionSettings s, String name, String value) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("client_encoding")) {
            value = ClientEncodings.canonical(value);
        }
        s.setAtConnection(lower, value);
    }

    /**
     * The "options" startup parameter as PostgreSQL reads it (pg_split_opts, then
     * process_postgres_switches): whitespace separates words, backslash escapes the next
     * character; "-c name=value", "-cname=value" and "--name=value" set settings.
     */
    static List<String[]> parseOptions(String options) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < options.length(); i++) {
            char c = options.charAt(i);
            if (c == '\\' && i + 1 < options.length()) {
                w.append(options.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                }
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(w.toString());
        }
        List<String[]> out = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            String assignment;
            if (word.equals("-c") && i + 1 < words.size()) {
                assignment = words.get(++i);
            } else if (word.startsWith("-c")) {
                assignment = word.substring(2);
            } else if (word.startsWith("--")) {
                assignment = word.substring(2);
            } else {
                throw PgException.fatal(SqlState.SYNTAX_ERROR,
                        "invalid command-line argument for server process: " + word)
                        .withHint("Try \"postgres --help\" for more information.");
            }
            int eq = assignment.indexOf('=');
            if (eq <= 0) {
                throw PgException.fatal(SqlState.SYNTAX_ERROR, assignment.isEmpty() || eq == 0
                        ? "invalid command-line argument for server process: " + word
                        : "-c " + assignment + " requires a value");
            }
            out.add(new String[] {assignment.substring(0, eq).replace('-', '_'), assignment.substring(eq + 1)});
        }
        return out;
    }
}
