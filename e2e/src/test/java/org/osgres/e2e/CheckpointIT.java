package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

/**
 * Checkpoints end to end: CHECKPOINT (superusers only, PostgreSQL 15's 42501 text), the
 * log_checkpoints lines in PostgreSQL's shape, pg_stat_bgwriter's columns and counters, the WAL
 * functions and pg_lsn, old WAL segments gone after pg_switch_wal() and CHECKPOINT, a timed
 * checkpoint with checkpoint_timeout = 30s (its minimum), and one caused by WAL volume. Expected texts are recorded from
 * PostgreSQL 15 by e2e/tools/record-checkpoint-goldens.sh into golden/checkpoint/.
 */
class CheckpointIT {
    static final String PLAIN_ROLE = "osgres_ckpt_plain";
    static OsgresServer server;

    @BeforeAll
    static void start() throws Exception {
        server = OsgresServer.start("checkpoint_timeout=30s");
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + PLAIN_ROLE + " LOGIN");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
    }

    static List<String> golden(String name) throws IOException {
        return Files.readAllLines(Path.of("src/test/resources/golden/checkpoint/" + name));
    }

    static Connection connectAs(String user) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        return server.connect(p);
    }

    static String scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    static long bgwriter(String column) throws SQLException {
        try (Connection c = server.connect()) {
            return Long.parseLong(scalar(c, "SELECT " + column + " FROM pg_stat_bgwriter"));
        }
    }

    @Test
    void errorsAsPostgres() throws Exception {
        for (String line : golden("errors.txt")) {
            String[] f = line.split("\\|", 4);
            try (Connection c = connectAs(f[0].equals("user") ? PLAIN_ROLE : OsgresServer.superuser());
                    Statement s = c.createStatement()) {
                PSQLException e = org.junit.jupiter.api.Assertions.assertThrows(PSQLException.class,
                        () -> s.execute(f[1]), f[1]);
                assertEquals(f[2], e.getSQLState(), f[1] + ": " + e.getMessage());
                assertEquals(f[3], e.getServerErrorMessage().getMessage(), f[1]);
                assertEquals("1", scalar(c, "SELECT 1"), "the session goes on");
            }
        }
    }

    @Test
    void walFunctionsAndPgLsnAsPostgres() throws Exception {
        try (Connection c = server.connect()) {
            for (String line : golden("values.txt")) {
                String[] f = line.split("\\|", 2);
                assertEquals(f[1], scalar(c, f[0]), f[0]);
            }
            String lsn = scalar(c, "SELECT pg_current_wal_lsn()");
            assertTrue(lsn.matches("[0-9A-F]+/[0-9A-F]+"), lsn);
            assertTrue(scalar(c, "SELECT pg_current_wal_insert_lsn()").matches("[0-9A-F]+/[0-9A-F]+"));
            assertTrue(scalar(c, "SELECT pg_current_wal_flush_lsn()").matches("[0-9A-F]+/[0-9A-F]+"));
        }
    }

    @Test
    void checkpointLogsPostgresLinesAndCounts() throws Exception {
        long requested = bgwriter("checkpoints_req");
        int logFrom = server.logTextQuiet().length();
        Cmd.Result r = Cmd.run(List.of("/usr/bin/psql", "-X", "-h", "127.0.0.1", "-p", Integer.toString(server.port()),
                "-U", OsgresServer.superuser(), "-d", "postgres", "-c", "CHECKPOINT"), Duration.ofSeconds(30));
        assertEquals(0, r.exit(), r.stderr());
        assertEquals(List.of("CHECKPOINT"), r.stdoutLines(), "the command tag");
        assertTrue(bgwriter("checkpoints_req") > requested, "checkpoints_req counts the CHECKPOINT");
        // CHECKPOINT waits for completion: both lines are in the log when it returns
        assertTrue(Wait.until(Duration.ofSeconds(5), () -> server.logTextQuiet().substring(logFrom)
                .contains("checkpoint complete:")), () -> server.logText());
        List<String> shapes = new ArrayList<>();
        for (String l : server.logTextQuiet().substring(logFrom).lines().toList()) {
            int at = l.indexOf("LOG:  checkpoint ");
            if (at >= 0) {
                shapes.add(l.substring(at).replaceAll("[0-9]+", "N"));
            }
        }
        assertEquals(golden("log-lines.txt"), shapes);
    }

    @Test
    void pgStatBgwriterHasPostgresColumns() throws Exception {
        List<String> expected = new ArrayList<>();
        for (String line : golden("pg_stat_bgwriter.txt")) {
            String[] f = line.split(" ");
            expected.add(f[0] + " " + f[1]);
        }
        assertEquals(expected, RawConnection.rowDescription(server.port(), "SELECT * FROM pg_stat_bgwriter"));
    }

    @Test
    void oldSegmentsAreRemovedAfterASwitchAndACheckpoint() throws Exception {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            String before = scalar(c, "SELECT pg_walfile_name(pg_current_wal_insert_lsn())");
            Path old = server.dataDir().resolve("pg_wal").resolve(before);
            assertTrue(Files.exists(old), before);
            scalar(c, "SELECT pg_switch_wal()");
            s.execute("CHECKPOINT");
            // the checkpoint record is the first in the next segment, its redo point too
            String after = scalar(c, "SELECT pg_walfile_name(pg_current_wal_insert_lsn())");
            assertNotEquals(before, after, "the switch moved inserting to the next segment");
            assertFalse(Files.exists(old), "segment " + before + " is before the redo point's segment: removed or "
                    + "recycled to a future name");
            assertTrue(Files.exists(server.dataDir().resolve("pg_wal").resolve(after)));
        }
    }

    @Test
    void checkpointTimeoutStartsATimedCheckpoint() throws Exception {
        // checkpoint_timeout=30s, its minimum: the first timed checkpoint comes 30 s after start
        assertTrue(Wait.until(Duration.ofSeconds(60), () -> {
            try {
                return bgwriter("checkpoints_timed") >= 1;
            } catch (SQLException e) {
                return false;
            }
        }), () -> server.logText());
    }

    @Test
    void walVolumeStartsACheckpoint() throws Exception {
        // max_wal_size 32MB: CheckPointSegments = 2 / 1.9 -> 1, so every finished segment asks for one
        try (OsgresServer small = OsgresServer.start("max_wal_size=32MB", "min_wal_size=32MB");
                Connection c = small.connect(); Statement s = c.createStatement()) {
            int logFrom = small.logTextQuiet().length();
            scalar(c, "SELECT pg_switch_wal()");
            assertTrue(Wait.until(Duration.ofSeconds(20), () -> small.logTextQuiet().substring(logFrom)
                    .contains("LOG:  checkpoint starting: wal")), () -> small.logText());
            assertTrue(Wait.until(Duration.ofSeconds(20), () -> {
                try {
                    return Long.parseLong(scalar(c, "SELECT checkpoints_req FROM pg_stat_bgwriter")) >= 1;
                } catch (SQLException e) {
                    return false;
                }
            }), "a checkpoint caused by WAL volume counts as requested");
        }
    }

}
