package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * kill -9 during inserts and updates through pgjdbc, twice, each time restarted with crash
 * recovery: every row whose INSERT was acknowledged is there (through a sequential scan and
 * through the primary key), no more rows than were sent, and each counter is at least the
 * number of acknowledged increments and at most one more per writer.
 */
class CrashRecoveryIT {
    static final int WRITERS = 4;

    @Test
    void acknowledgedCommitsSurviveKill9() throws Exception {
        try (OsgresServer s = OsgresServer.initdb()) {
            s.startServer();
            CatalogReady.await(s);
            try (Connection c = s.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE crash_rows (id int PRIMARY KEY, writer int, payload text)");
                st.execute("CREATE TABLE crash_counters (writer int PRIMARY KEY, n int)");
                for (int w = 0; w < WRITERS; w++) {
                    st.execute("INSERT INTO crash_counters VALUES (" + w + ", 0)");
                }
            }
            Set<Integer> acknowledged = new ConcurrentSkipListSet<>();
            long[] increments = new long[WRITERS];
            AtomicLong sent = new AtomicLong();
            for (int round = 0; round < 2; round++) {
                int base = round * 1_000_000;
                List<Thread> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    int me = w;
                    writers.add(Thread.ofPlatform().start(() -> write(s, me, base, acknowledged, increments, sent)));
                }
                int target = 200 * (round + 1);
                assertTrue(Wait.until(Duration.ofSeconds(60), () -> acknowledged.size() >= target),
                        "writers made progress");
                Cmd.kill("KILL", s.pid());
                s.awaitExit();
                for (Thread t : writers) {
                    t.join();
                }
                Files.deleteIfExists(s.pidFile());
                s.startServer();
                CatalogReady.await(s);
                String log = s.logTextQuiet();
                assertTrue(log.contains("automatic recovery in progress"), log);
                check(s, acknowledged, increments, sent.get());
            }
        }
    }

    /** Inserts rows and bumps its counter, one transaction each, until the server goes away. */
    private static void write(OsgresServer s, int me, int base, Set<Integer> acknowledged, long[] increments,
            AtomicLong sent) {
        try (Connection c = s.connect();
                PreparedStatement ins = c.prepareStatement("INSERT INTO crash_rows VALUES (?, ?, ?)");
                PreparedStatement upd = c.prepareStatement("UPDATE crash_counters SET n = n + 1 WHERE writer = ?")) {
            for (int i = 0;; i++) {
                int id = base + i * WRITERS + me;
                ins.setInt(1, id);
                ins.setInt(2, me);
                ins.setString(3, "row " + id + " ".repeat(i % 50));
                sent.incrementAndGet();
                ins.executeUpdate();
                acknowledged.add(id);
                upd.setInt(1, me);
                upd.executeUpdate();
                increments[me]++;
            }
        } catch (SQLException e) {
            // the server was killed
        }
    }

    private static void check(OsgresServer s, Set<Integer> acknowledged, long[] increments, long sent) throws Exception {
        try (Connection c = s.connect(); Statement st = c.createStatement()) {
            Set<Integer> present = new TreeSet<>();
            try (ResultSet rs = st.executeQuery("SELECT id FROM crash_rows")) {
                while (rs.next()) {
                    present.add(rs.getInt(1));
                }
            }
            Set<Integer> missing = new TreeSet<>(acknowledged);
            missing.removeAll(present);
            assertEquals(Set.of(), missing, "acknowledged rows lost");
            assertTrue(present.size() <= sent, present.size() + " rows, " + sent + " sent");
            try (PreparedStatement byKey = c.prepareStatement("SELECT count(*) FROM crash_rows WHERE id = ?")) {
                for (int id : acknowledged) {
                    byKey.setInt(1, id);
                    try (ResultSet rs = byKey.executeQuery()) {
                        rs.next();
                        assertEquals(1, rs.getInt(1), "row " + id + " through the primary key");
                    }
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT writer, n FROM crash_counters ORDER BY writer")) {
                while (rs.next()) {
                    int w = rs.getInt(1);
                    long n = rs.getLong(2);
                    assertTrue(n >= increments[w] && n <= increments[w] + 1,
                            "counter of writer " + w + ": " + n + ", acknowledged increments " + increments[w]);
                    // an increment committed but not acknowledged before the kill counts from now on,
                    // so that the next round again allows one more than it acknowledges
                    increments[w] = n;
                }
            }
        }
    }
}
