package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's src/test/authentication/t/003_peer.pl: peer on the Unix socket (SO_PEERCRED),
 * without a map and with pg_ident.conf maps, plain and regular-expression entries, reloaded.
 */
class AuthPeerIT extends WithServer {

    private static String psql(String role) throws Exception {
        return AuthHelper.psql(server, role, null, server.socketDir().toString(), Map.of());
    }

    @Test
    void peer() throws Exception {
        String os = OsgresServer.superuser();
        AuthHelper.sql(server, "CREATE ROLE testmapuser LOGIN", "CREATE ROLE \"" + os + "_mapped\" LOGIN",
                "CREATE ROLE other_role LOGIN");
        // without a map: the OS user must be the role
        AuthHelper.hba(server, "local all all peer");
        assertEquals("ok", psql(os));
        assertEquals("FATAL:  Peer authentication failed for user \"testmapuser\"", psql("testmapuser"));

        // a plain map entry, then a regular expression with \1
        AuthHelper.file(server, "pg_ident.conf", "mypeermap " + os + " testmapuser\n"
                + "mypeermap /^(.*)$ \\1_mapped\n");
        AuthHelper.hba(server, "local all all peer map=mypeermap");
        assertEquals("ok", psql("testmapuser"));
        assertEquals("ok", psql(os + "_mapped"));
        assertEquals("FATAL:  Peer authentication failed for user \"other_role\"", psql("other_role"));
        String log = server.logText();
        assertEquals(true, log.contains("no match in usermap \"mypeermap\" for user \"other_role\" authenticated as \""
                + os + "\""), log);

        // a map that matches nobody, reloaded
        AuthHelper.file(server, "pg_ident.conf", "mypeermap nobody_at_all testmapuser\n");
        AuthHelper.hba(server, "local all all peer map=mypeermap");
        assertEquals("FATAL:  Peer authentication failed for user \"testmapuser\"", psql("testmapuser"));
    }
}
