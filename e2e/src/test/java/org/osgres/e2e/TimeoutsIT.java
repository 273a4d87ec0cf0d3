package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/**
 * Session timeouts through the raw protocol: idle_in_transaction_session_timeout ends a session
 * idle inside a transaction block with FATAL 25P03, idle_session_timeout one idle outside a
 * transaction with FATAL 57P05; each FATAL is sent before the server closes the connection.
 * (statement_timeout, which needs a statement that runs long, is in CancelIT.)
 */
class TimeoutsIT extends WithServer {

    private static RawConnection session() throws Exception {
        RawConnection c = new RawConnection(server.port(), 20_000);
        assertEquals('Z', c.login(OsgresServer.superuser()).type());
        return c;
    }

    private static void run(RawConnection c, String sql) throws Exception {
        c.query(sql);
        RawConnection.Message error = c.untilReady();
        assertNull(error, sql);
    }

    @Test
    void idleInTransactionSessionTimeout() throws Exception {
        try (RawConnection c = session()) {
            run(c, "SET idle_in_transaction_session_timeout = '300ms'");
            long start = System.nanoTime();
            run(c, "BEGIN");
            RawConnection.Message m = c.read();
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertEquals('E', m.type(), m.toString());
            assertEquals("FATAL", m.severity());
            assertEquals("25P03", m.sqlState());
            assertEquals("terminating connection due to idle-in-transaction timeout", m.message());
            assertTrue(waited >= 300, "fired after " + waited + " ms");
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void idleSessionTimeoutFiresOnlyOutsideTransactions() throws Exception {
        try (RawConnection c = session()) {
            // the idle-in-transaction limit is shorter, but outside a transaction it does not apply
            run(c, "SET idle_in_transaction_session_timeout = '100ms'");
            long start = System.nanoTime();
            run(c, "SET idle_session_timeout = '800ms'");
            RawConnection.Message m = c.read();
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertEquals('E', m.type(), m.toString());
            assertEquals("FATAL", m.severity());
            assertEquals("57P05", m.sqlState());
            assertEquals("terminating connection due to idle-session timeout", m.message());
            assertTrue(waited >= 800, "fired after " + waited + " ms");
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void activityRestartsTheIdleTimer() throws Exception {
        try (RawConnection c = session()) {
            run(c, "SET idle_session_timeout = '1s'");
            long start = System.nanoTime();
            // five statements 300 ms apart: each resets the timer, so the session outlives 1s
            for (int i = 0; i < 5; i++) {
                long due = start + (i + 1) * 300_000_000L;
                assertTrue(Wait.until(java.time.Duration.ofSeconds(5), () -> System.nanoTime() >= due));
                run(c, "SELECT " + i);
            }
            assertTrue((System.nanoTime() - start) / 1_000_000 >= 1500);
            run(c, "SET idle_session_timeout = 0");
        }
    }
}
