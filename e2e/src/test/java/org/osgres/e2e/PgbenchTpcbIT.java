package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The unmodified pgbench binary against osgres, the short form of bench/pgbench-tpcb.sh:
 * pgbench -i (client-side COPY, then server-side generate_series), the TPC-B workload in each
 * protocol mode with no failed transaction and the balances invariant holding afterwards, the
 * select-only workload, and a clean restart that keeps every row.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgbenchTpcbIT extends WithServer {
    static final int SCALE = 1;

    static Cmd.Result pgbench(String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/pgbench", "-h", "127.0.0.1",
                "-p", Integer.toString(server.port()), "-U", server.user()));
        argv.addAll(List.of(args));
        argv.add("postgres");
        return Cmd.run(argv, Duration.ofSeconds(600));
    }

    /** sum(abalance), sum(bbalance), sum(tbalance), sum(delta), count(history), count(accounts). */
    static List<Long> sums() throws Exception {
        try (Connection c = server.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select (select sum(abalance) from pgbench_accounts), (select sum(bbalance) from pgbench_branches),"
                        + " (select sum(tbalance) from pgbench_tellers), (select coalesce(sum(delta), 0) from pgbench_history),"
                        + " (select count(*) from pgbench_history), (select count(*) from pgbench_accounts)")) {
            assertTrue(rs.next());
            List<Long> out = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                out.add(rs.getLong(i));
            }
            return out;
        }
    }

    /**
     * The balances changed by exactly the deltas of the run: pgbench (without -n) truncates
     * pgbench_history before each run, so the sums are compared with those before it.
     */
    static void assertInvariant(List<Long> before, List<Long> after) {
        long a = after.get(0) - before.get(0);
        long b = after.get(1) - before.get(1);
        long t = after.get(2) - before.get(2);
        assertEquals(a, b, "sum(abalance) = sum(bbalance) " + before + " -> " + after);
        assertEquals(b, t, "sum(bbalance) = sum(tbalance) " + before + " -> " + after);
        assertEquals(t, (long) after.get(3), "sum(tbalance) = sum(delta) " + before + " -> " + after);
    }

    @Test
    @Order(1)
    void initialiseClientSideThenServerSide() throws Exception {
        Cmd.Result r = pgbench("-i", "-s", Integer.toString(SCALE));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stderr().contains("done in"), r.toString());
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 100_000L * SCALE), sums());
        r = pgbench("-i", "-I", "dtGvp", "-s", Integer.toString(SCALE));
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 100_000L * SCALE), sums());
    }

    @Test
    @Order(2)
    void tpcbInEveryProtocolModeKeepsTheInvariant() throws Exception {
        for (String mode : List.of("simple", "extended", "prepared")) {
            List<Long> before = sums();
            Cmd.Result r = pgbench("-M", mode, "-c", "4", "-j", "2", "-t", "100");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.stdout().contains("number of transactions actually processed: 400/400"), r.toString());
            assertTrue(r.stdout().contains("number of failed transactions: 0 (0.000%)"), r.toString());
            List<Long> after = sums();
            assertInvariant(before, after);
            assertEquals(400L, after.get(4), "one history row per transaction of the run");
        }
    }

    @Test
    @Order(3)
    void selectOnly() throws Exception {
        Cmd.Result r = pgbench("-S", "-M", "prepared", "-c", "4", "-j", "2", "-t", "500");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().contains("number of transactions actually processed: 2000/2000"), r.toString());
    }

    @Test
    @Order(4)
    void aCleanRestartKeepsEveryRow() throws Exception {
        List<Long> before = sums();
        server.stop();
        server.startServer();
        assertEquals(before, sums());
    }
}
