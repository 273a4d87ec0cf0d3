package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connection limits, after PostgreSQL's src/test/postmaster/t/002_connection_limits.pl:
 * max_connections=6 with superuser_reserved_connections=2 lets four ordinary sessions in, the
 * fifth gets FATAL 53300 "remaining connection slots are reserved for non-replication superuser
 * connections", superusers take the last two slots, and then everyone gets "sorry, too many
 * clients already". A role's CONNECTION LIMIT gives "too many connections for role". A refused
 * client is still answered properly: 'N' to SSLRequest, an ErrorResponse, an orderly close.
 */
class ConnectionLimitsIT {
    static OsgresServer server;
    final List<RawConnection> open = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = OsgresServer.start("max_connections=6", "superuser_reserved_connections=2");
        try (java.sql.Connection c = server.connect(); java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE ROLE regress_regular LOGIN");
            s.execute("CREATE ROLE regress_superuser LOGIN SUPERUSER");
            s.execute("CREATE ROLE regress_limited LOGIN CONNECTION LIMIT 1");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (RawConnection c : open) c.close();
        open.clear();
    }

    /**
     * Connects; while sessions of an earlier test are still ending (slots are freed
     * asynchronously to the client's close), a refusal is retried until the deadline.
     */
    private RawConnection connect(String user) throws Exception {
        List<RawConnection.Message> last = new ArrayList<>();
        RawConnection[] got = new RawConnection[1];
        boolean ok = Wait.until(java.time.Duration.ofSeconds(10), () -> {
            try {
                RawConnection c = new RawConnection(server.port());
                RawConnection.Message m = c.login(user);
                if (m.type() == 'Z') {
                    got[0] = c;
                    return true;
                }
                last.add(m);
                c.close();
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        assertTrue(ok, user + " should connect: " + last + "\n" + server.logText());
        open.add(got[0]);
        return got[0];
    }

    private RawConnection.Message refused(String user) throws IOException {
        RawConnection c = new RawConnection(server.port());
        open.add(c);
        assertEquals('N', c.sslRequest(), "SSLRequest is answered even when the server is full");
        RawConnection.Message m = c.login(user);
        assertEquals('E', m.type(), user + " should be refused");
        assertEquals("FATAL", m.severity());
        assertTrue(c.closedByServer(), "the server closes the connection after the FATAL");
        return m;
    }

    @Test
    void reservedSlotsAreForSuperusers() throws Exception {
        for (int i = 0; i < 4; i++) connect("regress_regular");
        RawConnection.Message m = refused("regress_regular");
        assertEquals("53300", m.sqlState());
        assertEquals("remaining connection slots are reserved for non-replication superuser connections", m.message());

        connect("regress_superuser");
        connect("regress_superuser");
        m = refused("regress_superuser");
        assertEquals("53300", m.sqlState());
        assertEquals("sorry, too many clients already", m.message());
        m = refused("regress_regular");
        assertEquals("sorry, too many clients already", m.message());
    }

    @Test
    void roleConnectionLimit() throws Exception {
        connect("regress_limited");
        RawConnection.Message m = refused("regress_limited");
        assertEquals("53300", m.sqlState());
        assertEquals("too many connections for role \"regress_limited\"", m.message());
        connect("regress_regular"); // other roles are not limited by it
    }
}
