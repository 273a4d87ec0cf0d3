package org.osgres.e2e;

import org.osgres.testing.LdapTestServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The org.osgres.auth.ldap bundle end to end (PostgreSQL's src/test/ldap/t/001_auth.pl in kind):
 * an in-memory LDAP server started here, pg_hba.conf ldap lines in simple-bind and search+bind
 * modes over ldap:// and ldaps:// (the server trusts the test CA through LDAPTLS_CACERT), right
 * and wrong passwords and missing users through psql and pgjdbc.
 */
class AuthLdapIT {
    static OsgresServer server;
    static LdapTestServer ldap;
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("osgres-ldap-");
        ldap = new LdapTestServer(dir);
        server = OsgresServer.initdb();
        server.startServer(Map.of("LDAPTLS_CACERT", ldap.caFile.toString()));
        AuthHelper.sql(server, "CREATE ROLE test1 LOGIN", "CREATE ROLE test2 LOGIN", "CREATE ROLE nobody LOGIN");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (ldap != null) {
            ldap.close();
        }
    }

    @Test
    void matrix() throws Exception {
        String base = LdapTestServer.BASE;
        List<String> lines = List.of(
                "ldap ldapserver=127.0.0.1 ldapport=" + ldap.ldapPort() + " ldapprefix=\"uid=\" ldapsuffix=\",ou=People,"
                        + base + "\"",
                "ldap ldapurl=\"ldap://127.0.0.1:" + ldap.ldapPort() + "/" + base + "?uid?sub\"",
                "ldap ldapserver=localhost ldapport=" + ldap.ldapsPort() + " ldapscheme=ldaps ldapbasedn=\"" + base
                        + "\" ldapbinddn=\"cn=searcher," + base + "\" ldapbindpasswd=searchpw",
                "ldap ldapurl=\"ldaps://localhost:" + ldap.ldapsPort() + "/" + base + "?uid?sub\"");
        List<String> mismatches = new ArrayList<>();
        for (String line : lines) {
            AuthHelper.hba(server, "host all all 127.0.0.1/32 " + line);
            for (String[] c : new String[][] {{"test1", "secret1", "ok"}, {"test2", "secret2", "ok"},
                    {"test1", "wrong", "fail"}, {"nobody", "secret1", "fail"}, {"nosuchrole", "secret1", "fail"}}) {
                String failure = "LDAP authentication failed for user \"" + c[0] + "\"";
                String psql = AuthHelper.psql(server, c[0], c[1], "127.0.0.1", Map.of());
                String jdbc = AuthHelper.jdbc(server, c[0], c[1], "127.0.0.1");
                String okPsql = c[0].equals("nosuchrole") ? "FATAL:  role \"nosuchrole\" does not exist" : "ok";
                String expectedPsql = c[2].equals("ok") ? okPsql : "FATAL:  " + failure;
                String expectedJdbc = c[2].equals("ok") ? "ok" : "28000 FATAL: " + failure;
                if (!psql.equals(expectedPsql)) {
                    mismatches.add(line + " " + c[0] + " psql: " + psql);
                }
                if (!jdbc.equals(expectedJdbc)) {
                    mismatches.add(line + " " + c[0] + " jdbc: " + jdbc);
                }
            }
        }
        assertEquals(List.of(), mismatches, server.logText());
        assertFalse(server.logText().contains("secret1"), "the server log shows a password");
    }
}
