package org.osgres.postmaster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgres.api.catalog.SystemCatalog;
import org.osgres.api.session.BackendStatus;
import org.osgres.api.session.DatabaseStatistics;
import org.osgres.api.sql.SessionContext;
import org.osgres.api.sql.SystemView;

/**
 * The pg_stat_database view with PostgreSQL 15's 28 columns and the counters behind it
 * (PostgreSQL: utils/activity/pgstat_database.c, pg_stat_get_db_* in pgstatfuncs.c). One row for
 * shared objects (datid 0, datname NULL), then one per database.
 *
 * <p>What is counted: numbackends (from the live sessions), xact_commit and xact_rollback (the
 * backends report each transaction end through DatabaseStatistics), and at each session's end
 * sessions, session_time, active_time, idle_in_transaction_time, sessions_abandoned,
 * sessions_fatal and sessions_killed (reported by the backend, as pgstat_report_disconnect does).
 * blks_read and
 * blks_hit are 0, and so are the tuple, temp-file, conflict and deadlock counters: there is no
 * buffer pool, no table and no lock yet, so 0 is the true count. stats_reset, checksum_failures and
 * checksum_last_failure NULL (no data checksums).
 * The counters live in memory and start at 0 with each server start (PostgreSQL keeps them
 * across a clean restart in pg_stat/).
 */
@Component(service = {SystemView.class, DatabaseStatistics.class})
public final class PgStatDatabase implements SystemView, DatabaseStatistics {
    private static final String[] NAMES = {"datid", "datname", "numbackends", "xact_commit", "xact_rollback",
        "blks_read", "blks_hit", "tup_returned", "tup_fetched", "tup_inserted", "tup_updated", "tup_deleted",
        "conflicts", "temp_files", "temp_bytes", "deadlocks", "checksum_failures", "checksum_last_failure",
        "blk_read_time", "blk_write_time", "session_time", "active_time", "idle_in_transaction_time",
        "sessions", "sessions_abandoned", "sessions_fatal", "sessions_killed", "stats_reset"};
    private static final List<ViewColumn> COLUMNS;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SystemCatalog catalog;

    static {
        List<ViewColumn> c = new ArrayList<>();
        for (String n : NAMES) {
            int type = switch (n) {
                case "datid" -> Oids.OID;
                case "datname" -> Oids.NAME;
                case "numbackends" -> Oids.INT4;
                case "checksum_last_failure", "stats_reset" -> Oids.TIMESTAMPTZ;
                case "blk_read_time", "blk_write_time", "session_time", "active_time", "idle_in_transaction_time" ->
                    Oids.FLOAT8;
                default -> Oids.INT8;
            };
            c.add(new ViewColumn(n, type));
        }
        COLUMNS = List.copyOf(c);
    }

    /** One database's counters. */
    private static final class Counters {
        final LongAdder commits = new LongAdder();
        final LongAdder rollbacks = new LongAdder();
        final LongAdder sessions = new LongAdder();
        final LongAdder sessionsFatal = new LongAdder();
        final LongAdder sessionsKilled = new LongAdder();
        final LongAdder sessionMicros = new LongAdder();
        final LongAdder activeMicros = new LongAdder();
        final LongAdder idleInTransactionMicros = new LongAdder();
        final LongAdder sessionsAbandoned = new LongAdder();
    }

    private final Map<String, Counters> byDatabase = new ConcurrentHashMap<>();
    private volatile BackendSlots slots;

    @org.osgi.service.component.annotations.Reference(
            cardinality = org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL,
            policy = org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC)
    void setSlots(BackendSlots slots) {
        this.slots = slots;
    }

    void unsetSlots(BackendSlots slots) {
        if (this.slots == slots) {
            this.slots = null;
        }
    }

    private Counters counters(String database) {
        return byDatabase.computeIfAbsent(database, d -> new Counters());
    }

    @Override
    public void transactionEnded(String database, boolean committed) {
        if (database != null) {
            (committed ? counters(database).commits : counters(database).rollbacks).increment();
        }
    }

    @Override
    public void sessionEnded(String database, long sessionMicros, long activeMicros, long idleInTransactionMicros,
            SessionEnd end) {
        if (database == null) {
            return;
        }
        Counters c = counters(database);
        c.sessions.increment();
        c.sessionMicros.add(sessionMicros);
        c.activeMicros.add(activeMicros);
        c.idleInTransactionMicros.add(idleInTransactionMicros);
        switch (end) {
            case ABANDONED -> c.sessionsAbandoned.increment();
            case FATAL -> c.sessionsFatal.increment();
            case KILLED -> c.sessionsKilled.increment();
            case NORMAL -> { }
        }
    }

    @Override
    public String name() {
        return "pg_stat_database";
    }

    @Override
    public List<ViewColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object[]> rows(SessionContext session) {
        List<Object[]> out = new ArrayList<>();
        out.add(row(0, null));
        for (Map.Entry<String, Integer> db : Databases.all(catalog).entrySet()) {
            out.add(row(db.getValue(), db.getKey()));
        }
        return out;
    }

    private Object[] row(int oid, String database) {
        Object[] r = new Object[COLUMNS.size()];
        Counters c = database == null ? new Counters() : byDatabase.getOrDefault(database, new Counters());
        r[0] = oid;
        r[1] = database;
        r[2] = numBackends(database);
        r[3] = c.commits.sum();
        r[4] = c.rollbacks.sum();
        for (int i = 5; i <= 15; i++) {
            r[i] = 0L; // blks_read ... deadlocks: nothing to count yet
        }
        r[16] = null; // checksum_failures: NULL without data checksums, as PostgreSQL shows it
        r[18] = 0.0;
        r[19] = 0.0;
        r[20] = c.sessionMicros.sum() / 1000.0;
        r[21] = c.activeMicros.sum() / 1000.0;
        r[22] = c.idleInTransactionMicros.sum() / 1000.0;
        r[23] = c.sessions.sum();
        r[24] = c.sessionsAbandoned.sum();
        r[25] = c.sessionsFatal.sum();
        r[26] = c.sessionsKilled.sum();
        return r;
    }

    private int numBackends(String database) {
        BackendSlots s = slots;
        if (s == null || database == null) {
            return 0;
        }
        int n = 0;
        for (BackendStatus b : s.backends()) {
            if (database.equals(b.database()) && BackendSlots.CLIENT_BACKEND.equals(b.backendType())) {
                n++;
            }
        }
        return n;
    }
}
