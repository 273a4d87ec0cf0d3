package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.io.File;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * kill -9 of the server while pgbench -i is in the middle of its COPY into pgbench_accounts:
 * the server recovers at the next start (the COPY's transaction is rolled back), and the next
 * pgbench -i and a TPC-B run work on it.
 */
class CrashDuringInitIT {

    static List<String> pgbench(OsgresServer s, String... args) {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/pgbench", "-h", "127.0.0.1",
                "-p", Integer.toString(s.port()), "-U", s.user()));
        argv.addAll(List.of(args));
        argv.add("postgres");
        return argv;
    }

    static long value(OsgresServer s, String sql) throws SQLException {
        try (Connection c = s.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }

    @Test
    void aCrashMidCopyRecoversAndTheNextInitWorks() throws Exception {
        try (OsgresServer s = OsgresServer.initdb()) {
            s.startServer();
            CatalogReady.await(s);
            Process init = new ProcessBuilder(pgbench(s, "-i", "-s", "20"))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(s.root().resolve("init-1.out").toFile())
                    .redirectErrorStream(true)
                    .start();
            try {
                assertTrue(Wait.until(Duration.ofSeconds(120), () -> {
                    try {
                        return value(s, "select count(*) from pg_stat_activity where state = 'active'"
                                + " and query like 'copy pgbench_accounts%'") > 0;
                    } catch (SQLException e) {
                        return false;
                    }
                }), "pgbench -i reached its COPY\n" + Files.readString(s.root().resolve("init-1.out")));
                Thread.sleep(500); // well into the COPY: some of its pages are written
                Cmd.kill("KILL", s.pid());
                s.awaitExit();
                assertTrue(init.waitFor(60, TimeUnit.SECONDS), "pgbench ends when its connection breaks");
                assertNotEquals(0, init.exitValue(), "the interrupted pgbench -i failed");
            } finally {
                init.destroyForcibly();
            }
            s.startServer();
            CatalogReady.await(s);
            assertTrue(s.logTextQuiet().contains("automatic recovery in progress"), s.logTextQuiet());
            assertEquals(0, value(s, "select count(*) from pgbench_accounts"), "the COPY's rows are rolled back");

            Cmd.Result again = Cmd.run(pgbench(s, "-i", "-s", "1"), Duration.ofSeconds(300));
            assertEquals(0, again.exit(), again.toString());
            assertEquals(100_000, value(s, "select count(*) from pgbench_accounts"));
            Cmd.Result run = Cmd.run(pgbench(s, "-c", "2", "-j", "2", "-t", "50"), Duration.ofSeconds(300));
            assertEquals(0, run.exit(), run.toString());
            assertTrue(run.stdout().contains("number of failed transactions: 0 (0.000%)"), run.toString());
            long delta = value(s, "select sum(delta) from pgbench_history");
            assertEquals(delta, value(s, "select sum(abalance) from pgbench_accounts"));
            assertEquals(delta, value(s, "select sum(bbalance) from pgbench_branches"));
            assertEquals(delta, value(s, "select sum(tbalance) from pgbench_tellers"));
        }
    }
}
