package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The unmodified pgbench on tables: pgbench -i with server-side generation (-I dtGvp[f]: DROP,
 * CREATE with fillfactor, INSERT ... SELECT FROM generate_series, VACUUM ANALYZE, ALTER TABLE ADD
 * PRIMARY KEY), then the TPC-B script in each protocol mode; every transaction commits, and each
 * run moves every balance sum by exactly the run's sum(delta) (pgbench truncates the history first).
 */
class PgbenchServerSideIT extends WithServer {

    private Cmd.Result pgbench(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/pgbench", "-h", "127.0.0.1", "-p",
                Integer.toString(server.port()), "-U", server.user()));
        cmd.addAll(List.of(args));
        cmd.add("postgres");
        return Cmd.run(cmd, Duration.ofSeconds(300));
    }

    private static long[] sums(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select (select sum(abalance) from"
                + " pgbench_accounts), (select sum(bbalance) from pgbench_branches), (select sum(tbalance) from"
                + " pgbench_tellers), (select coalesce(sum(delta), 0) from pgbench_history), (select count(*) from"
                + " pgbench_accounts)")) {
            assertTrue(rs.next());
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)};
        }
    }

    @Test
    void initServerSideThenTpcbInEveryMode() throws Exception {
        CatalogReady.await(server);
        Cmd.Result withKeys = pgbench("-i", "-I", "dtGvpf", "-s", "1"); // foreign keys among the tables
        assertEquals(0, withKeys.exit(), withKeys.toString());
        assertTrue(withKeys.stderr().contains("creating foreign keys..."), withKeys.toString());
        Cmd.Result init = pgbench("-i", "-I", "dtGvp", "-s", "2"); // drops the four tables as one set
        assertEquals(0, init.exit(), init.toString());
        assertTrue(init.stderr().contains("creating primary keys..."), init.toString());
        try (Connection c = server.connect()) {
            long[] before = sums(c);
            assertEquals(200000, before[4]);
            for (String mode : List.of("simple", "extended", "prepared")) {
                Cmd.Result r = pgbench("-M", mode, "-c", "4", "-j", "2", "-t", "100");
                assertEquals(0, r.exit(), r.toString());
                assertTrue(r.stdout().contains("number of transactions actually processed: 400/400"), r.toString());
                assertTrue(r.stdout().contains("number of failed transactions: 0 (0.000%)"), r.toString());
                long[] after = sums(c);
                for (int i = 0; i < 3; i++) {
                    assertEquals(after[3], after[i] - before[i], mode + ": balance sum " + i + " moved by sum(delta)");
                }
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("select count(*) from pgbench_history")) {
                    assertTrue(rs.next());
                    assertEquals(400, rs.getLong(1), mode);
                }
                before = after;
            }
        }
    }
}
