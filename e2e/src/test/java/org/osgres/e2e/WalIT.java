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
}
