package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.postgresql.PGConnection;

/**
 * Raw wire-protocol cases (garbage, truncated and oversized startup packets, unsupported
 * versions, SSL/GSS negotiation, cancel requests, errors) replayed against osgres; the answers
 * must be PostgreSQL 15's, recorded in golden/protocol. After each case the server still serves.
 */
class ProtocolGoldenIT extends WithServer {

    @TestFactory
    Stream<DynamicTest> sameAnswersAsPostgres15() throws Exception {
        return Golden.all("protocol").stream().map(g -> DynamicTest.dynamicTest(g.name(), () -> {
            List<String> got = WireClient.run(g.steps(), server.port(), server.socketDir(), server.user());
            assertEquals(String.join("\n", WireClient.canonical(g.expected())),
                    String.join("\n", WireClient.canonical(got)),
                    "answers to " + g.steps());
            assertStillServing();
        }));
    }

    static void assertStillServing() throws Exception {
        assertTrue(server.process().isAlive(), "server process died");
        try (Connection c = server.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT 40 + 2")) {
            assertTrue(rs.next());
            assertEquals(42, rs.getInt(1));
        }
    }

    @Test
    void cancelWithWrongKeyLeavesTheBackendAlone() throws Exception {
        try (Connection c = server.connect()) {
            int pid = c.unwrap(PGConnection.class).getBackendPID();
            // the right pid with a wrong key: PostgreSQL ignores it (and logs it)
            List<String> got = WireClient.run(List.of("cancel " + pid + " 12345", "read"), server.port(), server.socketDir(), server.user());
            assertEquals(List.of("closed"), got);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 7")) {
                assertTrue(rs.next());
                assertEquals(7, rs.getInt(1));
            }
        }
        assertStillServing();
    }

    @Test
    void manyBadClientsInARow() throws Exception {
        for (int i = 0; i < 50; i++) {
            WireClient.run(List.of("raw 0000000400", "read"), server.port(), server.socketDir(), server.user());
            WireClient.run(List.of("raw 000000500003", "close"), server.port(), server.socketDir(), server.user());
        }
        assertStillServing();
    }
}
