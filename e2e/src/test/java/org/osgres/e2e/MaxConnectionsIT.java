package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** max_connections=5: five sessions hold, the sixth gets 53300, a closed slot is reusable. */
class MaxConnectionsIT {
    static OsgresServer server;

    @BeforeAll
    static void start() throws Exception {
        server = OsgresServer.start("max_connections=5");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
    }

    @Test
    void sixthConnectionIsRefusedUntilOneCloses() throws Exception {
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                Connection c = server.connect();
                held.add(c);
                assertEquals(i + 1, selectInt(c, "SELECT " + (i + 1)));
            }
            SQLException e = assertThrows(SQLException.class, server::connect);
            assertEquals("53300", e.getSQLState(), e.getMessage());
            assertTrue(e.getMessage().contains("sorry, too many clients already"), e.getMessage());
            for (Connection c : held) assertEquals(1, selectInt(c, "SELECT 1"), "held sessions unaffected");

            held.remove(0).close();
            // the slot is freed when the backend has exited, which is asynchronous to close()
            AtomicReference<SQLException> last = new AtomicReference<>();
            boolean ok = Wait.until(Duration.ofSeconds(10), () -> {
                try {
                    held.add(server.connect());
                    return true;
                } catch (SQLException x) {
                    last.set(x);
                    return false;
                }
            });
            assertTrue(ok, "no connection after closing one: " + last.get());
            assertEquals(5, held.size());
            assertEquals(2, selectInt(held.get(4), "SELECT 2"));
        } catch (Throwable t) {
            System.err.println(server.logText());
            throw t;
        } finally {
            for (Connection c : held) c.close();
        }
    }

    @Test
    void commandLineSettingIsShown() throws Exception {
        try (Connection c = server.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW max_connections")) {
            assertTrue(rs.next());
            assertEquals("5", rs.getString(1));
        }
    }

    static int selectInt(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getInt(1);
        }
    }
}
