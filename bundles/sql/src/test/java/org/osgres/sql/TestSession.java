package org.osgres.sql;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.osgres.api.config.GucContext;
import org.osgres.api.config.GucType;
import org.osgres.api.config.SettingDefinition;
import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.session.Interrupts;
import org.osgres.api.sql.SessionContext;
import org.osgres.api.sql.TransactionStatus;

/**
 * A map-backed SessionContext and Settings for tests: a handful of PostgreSQL's settings with
 * their units and messages, SET LOCAL undone at the end of a block, notices collected.
 */
final class TestSession implements SessionContext {
    final Settings settings;
    private final Map<String, String> sessionValues = new HashMap<>();
    private final Map<String, String> localValues = new HashMap<>();
    private final Interrupts interrupts = new Interrupts();
    final List<PgException> notices = new ArrayList<>();
    private TransactionStatus status = TransactionStatus.IDLE;

    /** The pid; concurrency tests give each session its own. */
    int pid = 4242;
    /** Transactions for statements over tables (StorageFixture sets it); null: no storage. */
    org.osgres.api.xact.TransactionManager xacts;
    private org.osgres.api.xact.Transaction tx;

    @Override
    public int backendPid() {
        return pid;
    }

    @Override
    public int databaseOid() {
        return xacts == null ? 0 : 5;
    }

    /** The current transaction, begun on first use with the session's transaction_isolation (as the backend). */
    @Override
    public org.osgres.api.xact.Transaction transaction() {
        if (xacts == null) {
            return null;
        }
        if (tx == null) {
            org.osgres.api.xact.IsolationLevel level = getSetting("transaction_isolation").equals("repeatable read")
                    ? org.osgres.api.xact.IsolationLevel.REPEATABLE_READ
                    : org.osgres.api.xact.IsolationLevel.READ_COMMITTED;
            tx = xacts.begin(level, org.osgres.api.xact.WaitContext.of(pid, interrupts, () -> 0, () -> 200));
        }
        return tx;
    }

    /** After each statement, as the backend: outside a block commit (or abort on error); an error inside one fails it. */
    void endStatement(boolean ok) {
        if (status == TransactionStatus.IDLE) {
            endTransaction(ok);
        } else if (!ok) {
            status = TransactionStatus.FAILED;
        }
    }

    private void endTransaction(boolean commit) {
        org.osgres.api.xact.Transaction t = tx;
        tx = null;
        if (t != null) {
            if (commit) {
                t.commit();
            } else {
                t.abort();
            }
        }
    }

    TestSession() {
        this(new TestSettings());
    }

    /** A session over other settings (the config bundle's real GUC table). */
    TestSession(Settings settings) {
        this.settings = settings;
    }

    private String canonical(String name) {
        if (settings instanceof TestSettings t) {
            return t.canonical(name);
        }
        return settings.definition(name).map(d -> d.name()).orElseThrow(() -> new PgException(
                SqlState.UNDEFINED_OBJECT, "unrecognized configuration parameter \"" + name + "\""));
    }

    /** The session user; tests switch it to run statements as another role. */
    String user = "postgres";

    @Override
    public String user() {
        return user;
    }

    @Override
    public String database() {
        return "postgres";
    }

    @Override
    public Settings settings() {
        return settings;
    }

    @Override
    public String getSetting(String name) {
        String n = canonical(name);
        if (localValues.containsKey(n)) {
            return localValues.get(n);
        }
        if (sessionValues.containsKey(n)) {
            return sessionValues.get(n);
        }
        return settings.get(n);
    }

    @Override
    public void setSetting(String name, String internalValue, boolean local) {
        String n = canonical(name);
        if (local) {
            if (status != TransactionStatus.IDLE) {
                localValues.put(n, internalValue);
            }
        } else {
            sessionValues.put(n, internalValue);
            localValues.remove(n);
        }
    }

    @Override
    public void resetSetting(String name) {
        String n = canonical(name);
        sessionValues.remove(n);
        localValues.remove(n);
    }

    @Override
    public void resetAllSettings() {
        sessionValues.clear();
        localValues.clear();
    }

    @Override
    public TransactionStatus transactionStatus() {
        return status;
    }

    @Override
    public void beginBlock() {
        status = TransactionStatus.IN_BLOCK;
    }

    @Override
    public String commitBlock() {
        boolean failed = status == TransactionStatus.FAILED;
        status = TransactionStatus.IDLE;
        localValues.clear();
        endTransaction(!failed);
        return failed ? "ROLLBACK" : "COMMIT";
    }

    @Override
    public void rollbackBlock() {
        status = TransactionStatus.IDLE;
        localValues.clear();
        endTransaction(false);
    }

    @Override
    public void notice(PgException notice) {
        notices.add(notice);
    }

    @Override
    public Interrupts interrupts() {
        return interrupts;
    }

    /** A few of PostgreSQL's settings with their types, units and defaults. */
    static final class TestSettings implements Settings {
        private final Map<String, SettingDefinition> defs = new TreeMap<>();
        private final Map<String, String> values = new LinkedHashMap<>();

        TestSettings() {
            define("application_name", GucType.STRING, "", "", "Sets the application name.");
            define("work_mem", GucType.INTEGER, "kB", "4096", "Sets the maximum memory for query workspaces.");
            define("statement_timeout", GucType.INTEGER, "ms", "0", "Sets the maximum allowed duration of any statement.");
            define("enable_seqscan", GucType.BOOL, "", "on", "Enables sequential scans.");
            define("datestyle", GucType.STRING, "", "ISO, MDY", "Sets the display format for date and time values.");
            define("timezone", GucType.STRING, "", "Etc/UTC", "Sets the time zone.");
            define("search_path", GucType.STRING, "", "\"$user\", public", "Sets the schema search order.");
            define("extra_float_digits", GucType.INTEGER, "", "1", "Sets the number of digits displayed.");
            define("server_version_num", GucType.INTEGER, "", "150018", "Shows the server version as an integer.");
            define("integer_datetimes", GucType.BOOL, "", "on", "Datetimes are integer based.");
            define("password_encryption", GucType.STRING, "", "scram-sha-256", "Chooses the algorithm for encrypting passwords.");
            define("client_encoding", GucType.STRING, "", "UTF8", "Sets the client's character set encoding.");
            define("transaction_isolation", GucType.ENUM, "", "read committed",
                    "Sets the current transaction's isolation level.");
        }

        private void define(String name, GucType type, String unit, String boot, String desc) {
            defs.put(name, new SettingDefinition(name, type, unit, "test", desc, GucContext.USERSET, null, null,
                    List.of(), boot, false));
            values.put(name, boot);
        }

        String canonical(String name) {
            String n = name.toLowerCase(Locale.ROOT);
            if (!defs.containsKey(n)) {
                throw new PgException(SqlState.UNDEFINED_OBJECT, "unrecognized configuration parameter \"" + name + "\"");
            }
            return n;
        }

        @Override
        public Path dataDirectory() {
            return Path.of(".");
        }

        @Override
        public Collection<SettingDefinition> definitions() {
            return defs.values();
        }

        @Override
        public Optional<SettingDefinition> definition(String name) {
            return Optional.ofNullable(defs.get(name.toLowerCase(Locale.ROOT)));
        }

        @Override
        public String get(String name) {
            return values.get(canonical(name));
        }

        @Override
        public String source(String name) {
            return "default";
        }

        @Override
        public String parse(String name, String value) {
            SettingDefinition d = defs.get(canonical(name));
            switch (d.type()) {
                case BOOL: {
                    String v = value.toLowerCase(Locale.ROOT);
                    if (List.of("on", "true", "yes", "1", "t", "y").contains(v)) {
                        return "on";
                    }
                    if (List.of("off", "false", "no", "0", "f", "n").contains(v)) {
                        return "off";
                    }
                    throw new PgException(SqlState.INVALID_PARAMETER_VALUE,
                            "parameter \"" + d.name() + "\" requires a Boolean value");
                }
                case INTEGER: {
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\s*(-?\\d+)\\s*([a-zA-Z]*)\\s*")
                            .matcher(value);
                    if (!m.matches()) {
                        throw new PgException(SqlState.INVALID_PARAMETER_VALUE,
                                "invalid value for parameter \"" + d.name() + "\": \"" + value + "\"");
                    }
                    long n = Long.parseLong(m.group(1));
                    String u = m.group(2);
                    long mult = switch (u) {
                        case "" -> 1;
                        case "kB" -> 1;
                        case "MB" -> 1024;
                        case "GB" -> 1024 * 1024;
                        case "ms" -> 1;
                        case "s" -> 1000;
                        case "min" -> 60000;
                        case "h" -> 3600000;
                        default -> throw new PgException(SqlState.INVALID_PARAMETER_VALUE,
                                "invalid value for parameter \"" + d.name() + "\": \"" + value + "\"");
                    };
                    return Long.toString(n * mult);
                }
                default:
                    return value;
            }
        }

        @Override
        public String display(String name, String internalValue) {
            SettingDefinition d = defs.get(canonical(name));
            if (d.type() != GucType.INTEGER || d.unit().isEmpty()) {
                return internalValue;
            }
            long v = Long.parseLong(internalValue);
            if (v == 0) {
                return "0";
            }
            String[][] units = d.unit().equals("kB") ? new String[][] {{"GB", "1048576"}, {"MB", "1024"}, {"kB", "1"}}
                    : new String[][] {{"h", "3600000"}, {"min", "60000"}, {"s", "1000"}, {"ms", "1"}};
            for (String[] u : units) {
                long f = Long.parseLong(u[1]);
                if (v % f == 0) {
                    return (v / f) + u[0];
                }
            }
            return internalValue;
        }

        @Override
        public boolean reload() {
            return true;
        }
    }

    @Override
    public java.time.OffsetDateTime transactionStartTime() {
        return statementStart;
    }

    @Override
    public java.time.OffsetDateTime statementStartTime() {
        return statementStart;
    }

    private final java.time.OffsetDateTime statementStart = java.time.OffsetDateTime.now();
}
