package org.osgres.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;
import org.osgres.api.protocol.ClientChannel;
import org.osgres.api.protocol.ErrorResponses;
import org.osgres.api.protocol.FrontendMessage;
import org.osgres.api.protocol.MessageBuilder;
import org.osgres.api.session.BackendStatus;
import org.osgres.api.session.DatabaseStatistics;
import org.osgres.api.session.LogContext;
import org.osgres.api.sql.ColumnDescriptor;
import org.osgres.api.sql.ExecutionResult;
import org.osgres.api.sql.ParsedStatement;
import org.osgres.api.sql.Portal;
import org.osgres.api.sql.PreparedStatement;
import org.osgres.api.sql.RowSink;
import org.osgres.api.sql.SqlEngine;
import org.osgres.api.sql.TransactionStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The frontend/backend protocol v3 message loop of one session (PostgreSQL: the main loop of
 * PostgresMain, exec_simple_query, exec_parse_message, exec_bind_message, exec_execute_message,
 * exec_describe_*_message in tcop/postgres.c).
 *
 * <pre>
 *   Q  -> [RowDescription DataRow* | EmptyQueryResponse] CommandComplete ... ReadyForQuery
 *   P  -> ParseComplete            B -> BindComplete        D -> ParameterDescription? RowDescription|NoData
 *   E  -> DataRow* CommandComplete|PortalSuspended|EmptyQueryResponse
 *   C  -> CloseComplete            H -> (flush)             S -> ReadyForQuery
 *   X  -> end of session
 * </pre>
 * An error in an extended-protocol message skips every message up to the next Sync. Only this
 * class, with BackendMessages, writes to the client.
 */
final class QueryProtocol {
    private static final Logger LOG = LoggerFactory.getLogger(QueryProtocol.class);
    /** Rows are sent in batches of about this many bytes. */
    private static final int SEND_THRESHOLD = 32 * 1024;

    private final ClientChannel channel;
    private final SqlEngine engine;
    private final Session session;
    private final MessageBuilder out = new MessageBuilder();
    private final Map<String, Prepared> statements = new HashMap<>();
    private final Map<String, Portal> portals = new HashMap<>();
    /** Each portal's statement text, for pg_stat_activity.query. */
    private final Map<String, String> portalTexts = new HashMap<>();
    private boolean ignoreTillSync;
    /** When the current message began, for log_min_duration_statement. */
    private long messageStarted;
    /** How the session ended, for pg_stat_database; a lost connection unless something else says so. */
    private DatabaseStatistics.SessionEnd end = DatabaseStatistics.SessionEnd.ABANDONED;
    /** The last statement's text, statement and portal names, for log_min_duration_statement. */
    private String lastQueryText = "";
    /** The statement the current message works on, for the STATEMENT line of a logged error; null for none. */
    private String statementText;
    private String lastStatementName = "";
    private String lastPortalName = "";

    /**
     * A statement prepared by Parse; statement is null for an empty query string, and source is
     * the whole text Parse carried (pg_stat_activity.query and the log show it, as PostgreSQL).
     */
    private record Prepared(ParsedStatement parsed, PreparedStatement statement, String source) {
    }

    /** A portal over an empty query string: Execute answers EmptyQueryResponse. */
    private static final Portal EMPTY_PORTAL = new Portal() {
        @Override
        public List<ColumnDescriptor> columns() {
            return List.of();
        }

        @Override
        public ExecutionResult execute(long maxRows, RowSink sink, org.osgres.api.sql.SessionContext s) {
            return null;
        }

        @Override
        public void close() {
        }
    };

    private final SessionTimeouts timeouts;
    /** Each portal's prepared statement name, for log_min_duration_statement's "execute" lines. */
    private final Map<String, String> portalStatements = new HashMap<>();

    QueryProtocol(ClientChannel channel, SqlEngine engine, Session session, SessionTimeouts timeouts) {
        this.channel = channel;
        this.engine = engine;
        this.session = session;
        this.timeouts = timeouts;
        session.setCopyProtocol(new CopyProtocol(channel, out));
    }

    /** How the session ended (valid once run() has returned or thrown). */
    DatabaseStatistics.SessionEnd end() {
        return end;
    }

    /** Serves the client until Terminate, end of stream or a FATAL error. */
    void run() throws IOException {
        readyForQuery();
        while (true) {
            FrontendMessage message;
            try {
                message = channel.readMessage();
            } catch (PgException e) {
                // PostgreSQL treats a broken message stream as a communication error: log it, close, no reply.
                LOG.info("{}", e.getMessage());
                return;
            }
            timeouts.stopIdle();
            if (message == null) {
                PgException reason = session.interrupts().terminateReason();
                if (reason != null) {
                    sendFatal(reason);
                }
                return;
            }
            if (!isKnownType(message.type())) {
                // checked before the skip to Sync, as PostgreSQL's SocketBackend does
                sendFatal(PgException.fatal(SqlState.PROTOCOL_VIOLATION,
                        "invalid frontend message type " + (int) message.type()));
                return;
            }
            if (message.type() == 'S') {
                ignoreTillSync = false;
            } else if (message.type() == 'X') {
                end = DatabaseStatistics.SessionEnd.NORMAL;
                return;
            }
            if (ignoreTillSync) {
                continue;
            }
            session.interrupts().clearCancel();
            statementText = null;
            messageStarted = System.nanoTime();
            boolean timed = message.type() == 'Q' || message.type() == 'E';
            if (timed) {
                timeouts.startStatement(settingMillis("statement_timeout"));
            }
            try {
                if (!dispatch(message)) {
                    return;
                }
                if (message.type() == 'E') {
                    logDuration(message.type());
                }
            } catch (PgException e) {
                if (e.severity() == Severity.PANIC) {
                    throw e; // the postmaster's crash handling reports it and restarts
                }
                if (e.severity().compareTo(Severity.FATAL) >= 0 || e.sqlState() == SqlState.CRASH_SHUTDOWN) {
                    sendFatal(e);
                    return;
                }
                handleError(e, isExtended(message.type()));
                if (!isExtended(message.type())) {
                    readyForQuery();
                }
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } catch (RuntimeException | Error e) {
                handleError(internalError(e), isExtended(message.type()));
                if (!isExtended(message.type())) {
                    readyForQuery();
                }
            } finally {
                if (timed) {
                    timeouts.stopStatement();
                }
            }
            PgException reason = session.interrupts().terminateReason();
            if (reason != null) {
                sendFatal(reason);
                return;
            }
        }
    }

    /** A session setting in milliseconds (timeouts, log_min_duration_statement); -1 when unset. */
    private long settingMillis(String name) {
        try {
            return Long.parseLong(session.getSetting(name));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * log_min_duration_statement (PostgreSQL: check_log_duration and the "duration: ... ms
     * statement: ..." lines of exec_simple_query and exec_execute_message).
     */
    private void logDuration(char messageType) {
        long min = settingMillis("log_min_duration_statement");
        if (min < 0) {
            return;
        }
        double millis = (System.nanoTime() - messageStarted) / 1_000_000.0;
        if (millis < min) {
            return;
        }
        String duration = String.format(java.util.Locale.ROOT, "%.3f", millis);
        if (messageType == 'Q') {
            LOG.info("duration: {} ms  statement: {}", duration, lastQueryText);
        } else {
            String statement = lastStatementName.isEmpty() ? "<unnamed>" : lastStatementName;
            LOG.info("duration: {} ms  execute {}{}: {}", duration, statement,
                    lastPortalName.isEmpty() ? "" : "/" + lastPortalName, lastQueryText);
        }
    }

    /** A FATAL error (or quickdie's WARNING 57P02): logged, sent, and the session ends. */
    private void sendFatal(PgException e) throws IOException {
        end = e.sqlState() == SqlState.ADMIN_SHUTDOWN ? DatabaseStatistics.SessionEnd.KILLED
                : DatabaseStatistics.SessionEnd.FATAL;
        if (e.sqlState() != SqlState.CRASH_SHUTDOWN) {
            LOG.info("FATAL:  {}", e.getMessage()); // quickdie's warning goes to the client only
        }
        sendError(e);
    }

    /**
     * The extended-query messages, after whose errors everything up to Sync is skipped (PostgreSQL:
     * doing_extended_query_message); an error in Q, S or F is answered with ReadyForQuery.
     */
    private static boolean isExtended(char type) {
        return switch (type) {
            case 'P', 'B', 'D', 'E', 'C', 'H' -> true;
            default -> false;
        };
    }

    /** The message types a session accepts (PostgreSQL: SocketBackend). */
    private static boolean isKnownType(char type) {
        return switch (type) {
            case 'Q', 'P', 'B', 'D', 'E', 'C', 'S', 'H', 'F', 'd', 'c', 'f', 'X' -> true;
            default -> false;
        };
    }

    /** Handles one message; false ends the session. */
    private boolean dispatch(FrontendMessage m) throws IOException {
        switch (m.type()) {
            case 'Q' -> simpleQuery(m);
            case 'P' -> parse(m);
            case 'B' -> bind(m);
            case 'D' -> describe(m);
            case 'E' -> execute(m);
            case 'C' -> close(m);
            case 'S' -> {
                m.end();
                sync();
            }
            case 'H' -> {
                m.end();
                flush();
            }
            case 'F' -> functionCall(m);
            case 'd', 'c', 'f' -> { } // CopyData/CopyDone/CopyFail outside COPY are ignored, as PostgreSQL does
            default -> throw PgException.fatal(SqlState.PROTOCOL_VIOLATION,
                    "invalid frontend message type " + (int) m.type());
        }
        return true;
    }

    /**
     * FunctionCall (PostgreSQL: HandleFunctionRequest): the message is read as PostgreSQL reads it,
     * so a malformed one gets the same 08P01, and then refused: fastpath is not implemented.
     */
    private static void functionCall(FrontendMessage m) {
        m.getInt32(); // function OID
        int formats = m.getInt16();
        for (int i = 0; i < formats; i++) {
            m.getInt16();
        }
        int args = m.getInt16();
        for (int i = 0; i < args; i++) {
            int len = m.getInt32();
            if (len > 0) {
                m.getBytes(len);
            }
        }
        m.getInt16(); // result format
        m.end();
        throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "fastpath function calls are not supported");
    }

    // ---- simple query ------------------------------------------------------------------------

    private void simpleQuery(FrontendMessage m) throws IOException {
        String text = m.getCString();
        m.end();
        statementText = text;
        lastQueryText = text;
        session.reportActive(text);
        List<ParsedStatement> parsed = engine.parse(text);
        if (parsed.isEmpty()) {
            BackendMessages.empty(out, BackendMessages.EMPTY_QUERY_RESPONSE);
            logDuration('Q');
            readyForQuery();
            return;
        }
        for (int i = 0; i < parsed.size(); i++) {
            ParsedStatement stmt = parsed.get(i);
            MDC.put(LogContext.COMMAND_TAG, stmt.commandName());
            checkNotAborted(stmt);
            PreparedStatement prepared = engine.prepare(stmt, new int[0], session);
            Portal portal = prepared.bind(List.of(), new short[0], new short[0], session);
            ExecutionResult result;
            try {
                if (!portal.columns().isEmpty()) {
                    BackendMessages.rowDescription(out, portal.columns());
                }
                result = portal.execute(0, this::sendRow, session);
            } finally {
                portal.close();
            }
            // exec_simple_query: the statements of one message share an implicit transaction, which
            // commits after the last one (or at a transaction statement), before CommandComplete
            if (i == parsed.size() - 1 || isTransactionControl(stmt)) {
                session.endImplicitTransaction(true);
            } else {
                session.statementDone();
            }
            BackendMessages.commandComplete(out, result.commandTag());
        }
        logDuration('Q'); // before ReadyForQuery, as exec_simple_query logs it
        readyForQuery();
    }

    // ---- extended query ----------------------------------------------------------------------

    private void parse(FrontendMessage m) throws IOException {
        String name = m.getCString();
        String text = m.getCString();
        int n = m.getInt16() & 0xffff;
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            types[i] = m.getInt32();
        }
        m.end();
        statementText = text;
        List<ParsedStatement> parsed = engine.parse(text);
        if (parsed.size() > 1) {
            throw new PgException(SqlState.SYNTAX_ERROR, "cannot insert multiple commands into a prepared statement");
        }
        if (!name.isEmpty() && statements.containsKey(name)) {
            throw new PgException(SqlState.DUPLICATE_PSTATEMENT, "prepared statement \"" + name + "\" already exists");
        }
        Prepared p;
        if (parsed.isEmpty()) {
            p = new Prepared(null, null, text);
        } else {
            checkNotAborted(parsed.get(0));
            p = new Prepared(parsed.get(0), engine.prepare(parsed.get(0), types, session), text);
        }
        statements.put(name, p);
        BackendMessages.empty(out, BackendMessages.PARSE_COMPLETE);
    }

    private void bind(FrontendMessage m) throws IOException {
        String portalName = m.getCString();
        String statementName = m.getCString();
        if (!statements.containsKey(statementName)) {
            // PostgreSQL looks the statement up before it reads the rest of the message
            throw new PgException(SqlState.INVALID_SQL_STATEMENT_NAME, statementName.isEmpty()
                    ? "unnamed prepared statement does not exist"
                    : "prepared statement \"" + statementName + "\" does not exist");
        }
        short[] paramFormats = readFormats(m);
        int n = m.getInt16() & 0xffff;
        List<byte[]> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int len = m.getInt32();
            if (len < -1) {
                throw new PgException(SqlState.PROTOCOL_VIOLATION, "invalid message format");
            }
            values.add(len == -1 ? null : m.getBytes(len));
        }
        short[] resultFormats = readFormats(m);
        m.end();
        Prepared p = statements.get(statementName);
        if (p == null) {
            throw new PgException(SqlState.INVALID_SQL_STATEMENT_NAME, statementName.isEmpty()
                    ? "unnamed prepared statement does not exist"
                    : "prepared statement \"" + statementName + "\" does not exist");
        }
        if (paramFormats.length > 1 && paramFormats.length != n) {
            throw new PgException(SqlState.PROTOCOL_VIOLATION,
                    "bind message has " + paramFormats.length + " parameter formats but " + n + " parameters");
        }
        int required = p.statement() == null ? 0 : p.statement().parameterTypes().length;
        if (n != required) {
            throw new PgException(SqlState.PROTOCOL_VIOLATION, "bind message supplies " + n
                    + " parameters, but prepared statement \"" + statementName + "\" requires " + required);
        }
        if (!portalName.isEmpty() && portals.containsKey(portalName)) {
            throw new PgException(SqlState.DUPLICATE_CURSOR, "portal \"" + portalName + "\" already exists");
        }
        if (p.statement() != null) {
            checkNotAborted(p.parsed());
        }
        Portal portal = p.statement() == null ? EMPTY_PORTAL
                : p.statement().bind(values, paramFormats, resultFormats, session);
        portalTexts.put(portalName, p.source());
        portalStatements.put(portalName, statementName);
        Portal old = portals.put(portalName, portal);
        if (old != null) {
            old.close();
        }
        BackendMessages.empty(out, BackendMessages.BIND_COMPLETE);
    }

    private static short[] readFormats(FrontendMessage m) {
        int n = m.getInt16() & 0xffff;
        short[] formats = new short[n];
        for (int i = 0; i < n; i++) {
            formats[i] = m.getInt16();
            if (formats[i] != 0 && formats[i] != 1) {
                throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "unsupported format code: " + formats[i]);
            }
        }
        return formats;
    }

    private void describe(FrontendMessage m) {
        byte kind = m.getByte();
        String name = m.getCString();
        m.end();
        if (kind == 'S') {
            Prepared p = statements.get(name);
            if (p == null) {
                throw new PgException(SqlState.INVALID_SQL_STATEMENT_NAME, name.isEmpty()
                        ? "unnamed prepared statement does not exist"
                        : "prepared statement \"" + name + "\" does not exist");
            }
            BackendMessages.parameterDescription(out, p.statement() == null ? new int[0] : p.statement().parameterTypes());
            describeColumns(p.statement() == null ? List.of() : p.statement().resultColumns());
        } else if (kind == 'P') {
            describeColumns(portal(name).columns());
        } else {
            throw new PgException(SqlState.PROTOCOL_VIOLATION, "invalid DESCRIBE message subtype " + (kind & 0xff));
        }
    }

    private void describeColumns(List<ColumnDescriptor> columns) {
        if (columns.isEmpty()) {
            BackendMessages.empty(out, BackendMessages.NO_DATA);
        } else {
            BackendMessages.rowDescription(out, columns);
        }
    }

    private void execute(FrontendMessage m) throws IOException {
        String name = m.getCString();
        int maxRows = m.getInt32();
        m.end();
        Portal portal = portal(name);
        lastQueryText = portalTexts.getOrDefault(name, "");
        statementText = lastQueryText;
        lastStatementName = portalStatements.getOrDefault(name, "");
        Prepared prepared = statements.get(lastStatementName);
        MDC.put(LogContext.COMMAND_TAG, prepared == null || prepared.parsed() == null ? "" : prepared.parsed().commandName());
        lastPortalName = name;
        session.reportActive(lastQueryText);
        if (portal == EMPTY_PORTAL) {
            BackendMessages.empty(out, BackendMessages.EMPTY_QUERY_RESPONSE);
            return;
        }
        ExecutionResult result = portal.execute(Math.max(0, maxRows), this::sendRow, session);
        if (result.suspended()) {
            BackendMessages.empty(out, BackendMessages.PORTAL_SUSPENDED);
        } else {
            session.statementDone();
            BackendMessages.commandComplete(out, result.commandTag());
        }
    }

    private void close(FrontendMessage m) {
        byte kind = m.getByte();
        String name = m.getCString();
        m.end();
        if (kind == 'S') {
            statements.remove(name);
        } else if (kind == 'P') {
            Portal p = portals.remove(name);
            if (p != null) {
                p.close();
            }
        } else {
            throw new PgException(SqlState.PROTOCOL_VIOLATION, "invalid CLOSE message subtype " + (kind & 0xff));
        }
        BackendMessages.empty(out, BackendMessages.CLOSE_COMPLETE);
    }

    /** Sync ends the implicit transaction of the messages before it; portals end with it. */
    private void sync() throws IOException {
        if (session.transactionStatus() == TransactionStatus.IDLE) {
            closePortals();
            session.endImplicitTransaction(true);
        }
        readyForQuery();
    }

    private void flush() throws IOException {
        channel.write(out);
        channel.flush();
    }

    private Portal portal(String name) {
        Portal p = portals.get(name);
        if (p == null) {
            throw new PgException(SqlState.INVALID_CURSOR_NAME, "portal \"" + name + "\" does not exist");
        }
        return p;
    }

    private void closePortals() {
        for (Portal p : portals.values()) {
            try {
                p.close();
            } catch (RuntimeException e) {
                LOG.warn("closing a portal failed", e);
            }
        }
        portals.clear();
    }

    // ---- shared ------------------------------------------------------------------------------

    /** BEGIN, COMMIT, ROLLBACK and the like (PostgreSQL: IsA(parsetree, TransactionStmt)). */
    private static boolean isTransactionControl(ParsedStatement stmt) {
        return switch (stmt.commandName()) {
            case "BEGIN", "START TRANSACTION", "COMMIT", "ROLLBACK" -> true;
            default -> false;
        };
    }

    private void checkNotAborted(ParsedStatement stmt) {
        if (session.transactionStatus() == TransactionStatus.FAILED && !stmt.isTransactionExit()) {
            throw new PgException(SqlState.IN_FAILED_SQL_TRANSACTION,
                    "current transaction is aborted, commands ignored until end of transaction block");
        }
    }

    private void sendRow(byte[][] values) throws IOException {
        BackendMessages.dataRow(out, values);
        if (out.size() >= SEND_THRESHOLD) {
            channel.write(out);
        }
    }

    /**
     * The server-log side of an ERROR (PostgreSQL: send_message_to_server_log with the default
     * log_error_verbosity and log_min_error_statement = error): the message, its DETAIL and HINT,
     * and the statement that failed.
     */
    private void logError(PgException e) {
        StringBuilder b = new StringBuilder("ERROR:  ").append(e.getMessage());
        if (e.detail() != null) {
            b.append("\nDETAIL:  ").append(e.detail());
        }
        if (e.hint() != null) {
            b.append("\nHINT:  ").append(e.hint());
        }
        if (e.context() != null) {
            b.append("\nCONTEXT:  ").append(e.context());
        }
        if (statementText != null && logsErrorStatements()) {
            b.append("\nSTATEMENT:  ").append(statementText);
        }
        org.slf4j.MDC.put(org.osgres.api.session.LogContext.SQLSTATE, e.sqlState().code());
        try {
            LOG.info(b.toString());
        } finally {
            org.slf4j.MDC.remove(org.osgres.api.session.LogContext.SQLSTATE);
        }
    }

    /** log_min_error_statement at or below error. */
    private boolean logsErrorStatements() {
        String level = session.getSetting("log_min_error_statement");
        return level == null || !(level.equals("log") || level.equals("fatal") || level.equals("panic"));
    }

    private void handleError(PgException e, boolean extended) throws IOException {
        if (e.sqlState() != SqlState.IN_FAILED_SQL_TRANSACTION) {
            logError(e);
        }
        // AtAbort_Portals: the transaction's portals go (releasing their pins) before it aborts
        closePortals();
        session.markFailedIfInBlock();
        session.endImplicitTransaction(false);
        sendError(e);
        if (extended) {
            ignoreTillSync = true;
        }
    }

    /**
     * A failure with no SQLSTATE of its own: PostgreSQL's answers for running out of stack or
     * memory, else XX000 with the stack trace in the log. The session goes on either way.
     */
    private PgException internalError(Throwable e) {
        if (e instanceof StackOverflowError) {
            return new PgException(SqlState.STATEMENT_TOO_COMPLEX, "stack depth limit exceeded", e)
                    .withHint("Increase the configuration parameter \"max_stack_depth\" (currently 2048kB), after "
                            + "ensuring the platform's stack depth limit is adequate.");
        }
        if (e instanceof OutOfMemoryError) {
            return new PgException(SqlState.OUT_OF_MEMORY, "out of memory", e);
        }
        LOG.error("internal error in session {}", session.backendPid(), e);
        return new PgException(SqlState.INTERNAL_ERROR, String.valueOf(e.getMessage() == null ? e : e.getMessage()), e);
    }

    private void sendError(PgException e) throws IOException {
        ErrorResponses.write(out, e);
        channel.write(out);
        channel.flush();
    }

    private void readyForQuery() throws IOException {
        session.reportIdle();
        for (Map.Entry<String, String> change : session.sessionSettings().takeReportChanges().entrySet()) {
            BackendMessages.parameterStatus(out, change.getKey(), change.getValue());
        }
        MDC.put(LogContext.COMMAND_TAG, switch (session.transactionStatus()) {
            case IDLE -> BackendStatus.STATE_IDLE;
            case IN_BLOCK -> BackendStatus.STATE_IDLE_IN_TRANSACTION;
            case FAILED -> BackendStatus.STATE_IDLE_IN_TRANSACTION_ABORTED;
        });
        BackendMessages.readyForQuery(out, session.transactionStatus());
        channel.write(out);
        channel.flush();
        if (session.transactionStatus() == TransactionStatus.IDLE) {
            timeouts.startIdleSession(settingMillis("idle_session_timeout"));
        } else {
            timeouts.startIdleInTransaction(settingMillis("idle_in_transaction_session_timeout"));
        }
    }
}
