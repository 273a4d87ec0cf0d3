package org.osgres.auth.ldap;

import org.osgres.testing.LdapTestServer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.auth.AuthExchange;
import org.osgres.api.auth.AuthRequest;
import org.osgres.api.error.PgException;
import org.osgres.api.protocol.FrontendMessage;
import org.osgres.api.session.ClientAddress;

/**
 * The ldap method against a real in-memory LDAP server (PostgreSQL's src/test/ldap/t/001_auth.pl
 * in kind): simple bind and search+bind (attribute, filter, bind DN, URL-style options), over
 * ldap://, StartTLS and ldaps://, right and wrong passwords and missing users, each outcome with
 * its SQLSTATE and message.
 */
class LdapAuthMethodTest {
    @TempDir
    static Path dir;
    static LdapTestServer ldap;

    @BeforeAll
    static void start() throws Exception {
        ldap = new LdapTestServer(dir);
    }

    @AfterAll
    static void stop() {
        ldap.close();
    }

    /** Answers the cleartext password request. */
    static final class Client implements AuthExchange {
        final String password;
        boolean asked;

        Client(String password) {
            this.password = password;
        }

        @Override
        public void sendRequest(int authCode, byte[] data) {
            assertEquals(3, authCode);
            asked = true;
        }

        @Override
        public FrontendMessage readResponse() {
            return new FrontendMessage('p', (password + "\0").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String outcome(Map<String, String> options, String user, String password) {
        try {
            new LdapAuthMethod(Map.of("LDAPTLS_CACERT", ldap.caFile.toString()))
                    .authenticate(new AuthRequest(user, "postgres", ClientAddress.local()), options, new Client(password));
            return "ok";
        } catch (PgException e) {
            return e.sqlState().code() + " " + e.getMessage();
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static Map<String, String> opts(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void matrix() {
        String base = LdapTestServer.BASE;
        String ldapPort = Integer.toString(ldap.ldapPort());
        String ldapsPort = Integer.toString(ldap.ldapsPort());
        List<Map<String, String>> configs = List.of(
                opts("ldapserver", "127.0.0.1", "ldapport", ldapPort, "ldapprefix", "uid=", "ldapsuffix",
                        ",ou=People," + base),
                opts("ldapserver", "127.0.0.1", "ldapport", ldapPort, "ldapbasedn", base, "ldapscope", "2"),
                opts("ldapserver", "127.0.0.1", "ldapport", ldapPort, "ldapbasedn", base, "ldapbinddn",
                        "cn=searcher," + base, "ldapbindpasswd", "searchpw", "ldapsearchattribute", "uid"),
                opts("ldapserver", "127.0.0.1", "ldapport", ldapPort, "ldapbasedn", base, "ldapsearchfilter",
                        "(|(uid=$username)(mail=$username))"),
                opts("ldapserver", "localhost", "ldapport", ldapPort, "ldaptls", "true", "ldapprefix", "uid=",
                        "ldapsuffix", ",ou=People," + base),
                opts("ldapserver", "localhost", "ldapport", ldapsPort, "ldapscheme", "ldaps", "ldapbasedn", base),
                opts("ldapserver", "localhost", "ldapport", ldapsPort, "ldapscheme", "ldaps", "ldapprefix", "uid=",
                        "ldapsuffix", ",ou=People," + base));
        List<String> mismatches = new ArrayList<>();
        for (Map<String, String> c : configs) {
            check(mismatches, c, "test1", "secret1", "ok");
            check(mismatches, c, "test2", "secret2", "ok");
            check(mismatches, c, "test1", "wrong", "28000 LDAP authentication failed for user \"test1\"");
            check(mismatches, c, "test1", "secret2", "28000 LDAP authentication failed for user \"test1\"");
            check(mismatches, c, "nobody", "secret1", "28000 LDAP authentication failed for user \"nobody\"");
        }
        // search filter matching two entries: not unique
        check(mismatches, configs.get(3), "dup@example.net", "dup",
                "28000 LDAP authentication failed for user \"dup@example.net\"");
        check(mismatches, configs.get(3), "test1@example.net", "secret1", "ok");
        // search+bind refuses user names with filter characters
        check(mismatches, configs.get(1), "test1)(uid=*", "secret1",
                "28000 LDAP authentication failed for user \"test1)(uid=*\"");
        // a wrong bind DN password for the search
        Map<String, String> badBind = new LinkedHashMap<>(configs.get(2));
        badBind.put("ldapbindpasswd", "wrong");
        check(mismatches, badBind, "test1", "secret1", "28000 LDAP authentication failed for user \"test1\"");
        // nothing listening
        check(mismatches, opts("ldapserver", "127.0.0.1", "ldapport", "1", "ldapprefix", "uid="), "test1", "secret1",
                "28000 LDAP authentication failed for user \"test1\"");
        check(mismatches, opts("ldapprefix", "uid="), "test1", "secret1",
                "28000 LDAP authentication failed for user \"test1\"");
        // an empty password never reaches the LDAP server (an anonymous bind would succeed)
        check(mismatches, configs.get(0), "test1", "", "28P01 empty password returned by client");
        assertEquals(List.of(), mismatches);
    }

    private static void check(List<String> mismatches, Map<String, String> c, String user, String pw, String expected) {
        String got = outcome(c, user, pw);
        if (!got.equals(expected)) {
            mismatches.add(c + " " + user + "/" + pw + ": " + got);
        }
    }
}
