package org.osgres.auth.hba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.osgres.api.auth.AuthRequest;
import org.osgres.api.session.ClientAddress;

class HbaRulesTest {
    private static final RoleMembership ADMINS = (user, role) -> user.equals(role)
            || role.equals("admins") && (user.equals("alice") || user.equals("bob"));

    private static HbaRules rules(String text) {
        HbaParser.Result r = HbaParser.parse(text, Path.of("/data/pg_hba.conf"), m -> true);
        assertTrue(r.ok(), r.errors().toString());
        return new HbaRules(r.lines());
    }

    private static AuthRequest tcp(String ip, String user, String db) {
        return new AuthRequest(user, db, new ClientAddress(new InetSocketAddress(ip, 50000), false));
    }

    private static int line(HbaRules rules, AuthRequest req) {
        Optional<HbaLine> l = rules.match(req, ADMINS);
        return l.map(HbaLine::lineNumber).orElse(0);
    }

    @Test
    void cidrV4AndV6() {
        HbaRules r = rules("""
                host all all 192.168.1.0/24 a
                host all all 10.0.0.0 255.255.0.0 b
                host all all fe80::/10 c
                host all all ::1/128 d
                host all all 0.0.0.0/0 e
                """);
        assertEquals(1, line(r, tcp("192.168.1.77", "u", "d")));
        assertEquals(2, line(r, tcp("10.0.200.1", "u", "d")));
        assertEquals(5, line(r, tcp("10.1.0.1", "u", "d")));
        assertEquals(3, line(r, tcp("fe80::1234", "u", "d")));
        assertEquals(4, line(r, tcp("::1", "u", "d")));
        assertEquals(0, line(r, tcp("2001:db8::1", "u", "d")));
        assertEquals(0, line(r, new AuthRequest("u", "d", ClientAddress.local())));
    }

    @Test
    void localHostSslAndFirstMatchWins() {
        HbaRules r = rules("""
                local all bob reject
                local all all trust
                hostssl all all all x
                hostnossl all all all y
                host all all all z
                """);
        assertEquals(1, line(r, new AuthRequest("bob", "d", ClientAddress.local())));
        assertEquals(2, line(r, new AuthRequest("carol", "d", ClientAddress.local())));
        assertEquals(3, line(r, new AuthRequest("bob", "d", new ClientAddress(new InetSocketAddress("1.2.3.4", 1), true))));
        assertEquals(4, line(r, tcp("1.2.3.4", "bob", "d")));
    }

    @Test
    void databasesAndRoles() {
        HbaRules r = rules("""
                local sameuser all a
                local samerole all b
                local "all" all c
                local replication all d
                local db1,"Db Two" +admins e
                local all "+admins" f
                local "Db Two" carol g
                """);
        assertEquals(1, line(r, new AuthRequest("bob", "bob", ClientAddress.local())));
        assertEquals(2, line(r, new AuthRequest("bob", "admins", ClientAddress.local())));
        assertEquals(3, line(r, new AuthRequest("x", "all", ClientAddress.local())));
        assertEquals(5, line(r, new AuthRequest("alice", "Db Two", ClientAddress.local())));
        assertEquals(0, line(r, new AuthRequest("alice", "db two", ClientAddress.local())));
        assertEquals(7, line(r, new AuthRequest("carol", "Db Two", ClientAddress.local())));
        assertEquals(6, line(r, new AuthRequest("+admins", "replication", ClientAddress.local())));
        assertEquals(0, line(r, new AuthRequest("carol", "replication", ClientAddress.local())));
    }

    @Test
    void samehostAndSamenet() {
        HbaRules r = rules("host all all samehost a\nhost all all samenet b\n");
        assertEquals(1, line(r, tcp("127.0.0.1", "u", "d")));
        // 127.0.0.2 is in the loopback's network (127.0.0.0/8) but is not an address of this host
        assertEquals(2, line(r, tcp("127.0.0.2", "u", "d")));
        assertEquals(0, line(r, tcp("203.0.113.9", "u", "d")));
    }
}
