package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

/**
 * The WAL end to end: initdb writes global/pg_control and the first segment, the server starts
 * on them, a clean stop leaves pg_control "shut down" and the next start needs no recovery;
 * after kill -9 the next start runs crash recovery first. pg_control's state is read at
 * PostgreSQL's offset (16, DBState: 1 shut down, 6 in production), so this holds for both.
 */
class WalIT {
    static final int DB_SHUTDOWNED = 1;
    static final int DB_IN_PRODUCTION = 6;

    static int controlState(Path dataDir) throws Exception {
        byte[] b = Files.readAllBytes(dataDir.resolve("global/pg_control"));
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(16);
    }

    static void select1(OsgresServer s) throws Exception {
        try (Connection c = s.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
            assertTrue(rs.next());
        }
    }

    static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void initdbStartStopRestartAndCrashRecovery() throws Exception {
        try (OsgresServer s = OsgresServer.initdb()) {
            Path data = s.dataDir();
            Path seg = data.resolve("pg_wal/000000010000000000000001");
            assertTrue(Files.isRegularFile(seg), "initdb wrote the first WAL segment");
            assertEquals(16L * 1024 * 1024, Files.size(seg));
            assertTrue(Files.isDirectory(data.resolve("pg_wal/archive_status")));
            assertEquals(8192, Files.size(data.resolve("global/pg_control")));
            assertEquals(DB_SHUTDOWNED, controlState(data), "initdb leaves the cluster shut down");

            s.startServer();
            select1(s);
            assertEquals(DB_IN_PRODUCTION, controlState(data));
            assertTrue(s.logTextQuiet().contains("LOG:  database system was shut down at "), () -> s.logText());
            s.stop();
            assertEquals(DB_SHUTDOWNED, controlState(data), "a clean stop ends with a shutdown checkpoint");

            s.startServer();
            select1(s);
            String log = s.logTextQuiet();
            assertEquals(2, count(log, "LOG:  database system was shut down at "), log);
            assertFalse(log.contains("automatic recovery in progress"), log);

            Cmd.kill("KILL", s.pid());
            s.awaitExit();
            assertEquals(DB_IN_PRODUCTION, controlState(data), "a killed server leaves pg_control in production");
            Files.deleteIfExists(s.pidFile());
            s.startServer();
            select1(s);
            String after = s.logTextQuiet();
            assertTrue(after.contains("LOG:  database system was interrupted; last known up at "), () -> s.logText());
            assertTrue(after.contains("LOG:  database system was not properly shut down; automatic recovery in progress"),
                    () -> s.logText());
            int recovered = after.indexOf("automatic recovery in progress");
            assertTrue(after.indexOf("database system is ready to accept connections", recovered) > recovered,
                    () -> "connections are accepted only after recovery\n" + after);
            s.stop();
            assertEquals(DB_SHUTDOWNED, controlState(data));
        }
    }

    /** The file of a relation of the current database (base/&lt;db oid&gt;/&lt;relfilenode&gt;). */
    static Path relationFile(OsgresServer s, Statement st, String relname) throws Exception {
        try (ResultSet rs = st.executeQuery("SELECT d.oid, c.relfilenode FROM pg_database d, pg_class c"
                + " WHERE d.datname = current_database() AND c.relname = '" + relname + "'")) {
            assertTrue(rs.next(), relname + " is in pg_class");
            return s.dataDir().resolve("base/" + rs.getLong(1) + "/" + rs.getLong(2));
        }
    }

    /**
     * A committed DROP TABLE and a rolled-back CREATE TABLE leave no file behind after kill -9:
     * recovery replays the WAL that wrote the files, and then the commit or abort record that
     * lists them removes them again (xl_xact_relfilenodes).
     */
    @Test
    void droppedAndRolledBackTablesLeaveNoFilesAfterACrash() throws Exception {
        try (OsgresServer s = OsgresServer.initdb()) {
            s.startServer();
            Path dropped;
            Path dropIndex;
            Path rolledBack;
            try (Connection c = s.connect(); Statement st = c.createStatement()) {
                st.execute("CREATE TABLE gone (k int PRIMARY KEY, v text)");
                st.execute("INSERT INTO gone SELECT g, 'row ' || g FROM generate_series(1, 2000) g");
                dropped = relationFile(s, st, "gone");
                dropIndex = relationFile(s, st, "gone_pkey");
                st.execute("CREATE TABLE kept (k int)");
                st.execute("INSERT INTO kept VALUES (1), (2)");
                assertTrue(Files.exists(dropped));
                st.execute("DROP TABLE gone");
                st.execute("BEGIN");
                st.execute("CREATE TABLE never (k int)");
                st.execute("INSERT INTO never SELECT g FROM generate_series(1, 2000) g");
                rolledBack = relationFile(s, st, "never");
                st.execute("ROLLBACK");
                st.execute("INSERT INTO kept VALUES (3)"); // its commit flushes the abort record too
            }
            assertFalse(Files.exists(dropped), "DROP TABLE removed the file at commit");
            assertFalse(Files.exists(rolledBack), "ROLLBACK removed the new table's file");
            Cmd.kill("KILL", s.pid());
            s.awaitExit();
            Files.deleteIfExists(s.pidFile());
            s.startServer();
            try (Connection c = s.connect(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM kept")) {
                assertTrue(rs.next());
                assertEquals(3, rs.getLong(1));
            }
            assertTrue(s.logTextQuiet().contains("automatic recovery in progress"), () -> s.logText());
            assertFalse(Files.exists(dropped), "the dropped table's file after recovery");
            assertFalse(Files.exists(dropIndex), "the dropped table's index file after recovery");
            assertFalse(Files.exists(rolledBack), "the rolled-back table's file after recovery");
        }
    }
}
