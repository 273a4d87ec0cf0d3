package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's src/test/authentication/t/001_password.pl: every password method (trust,
 * password, md5, scram-sha-256) against a SCRAM-stored and an md5-stored role, right and wrong
 * passwords and a missing role, over TCP and the Unix socket, through psql (PGPASSWORD) and
 * pgjdbc, with the SQLSTATE and message of each outcome; the server log has PostgreSQL's DETAIL
 * lines and never a password.
 */
class AuthPasswordIT extends WithServer {
    static final String PW = "Secr3t-Pw";

    @BeforeAll
    static void roles() throws Exception {
        AuthHelper.sql(server, "SET password_encryption = 'scram-sha-256'",
                "CREATE ROLE scram_role LOGIN PASSWORD '" + PW + "'",
                "SET password_encryption = 'md5'",
                "CREATE ROLE md5_role LOGIN PASSWORD '" + PW + "'",
                "CREATE ROLE nopw_role LOGIN",
                "RESET password_encryption");
    }

    /** What each role gets under each method with the right password; wrong and missing always fail. */
    static String expected(String method, String role, boolean rightPassword, boolean jdbc) {
        boolean missing = role.equals("missing_role");
        String fatal28P01 = "password authentication failed for user \"" + role + "\"";
        if (method.equals("trust")) {
            if (missing) {
                return jdbc ? "28000 FATAL: role \"missing_role\" does not exist"
                        : "FATAL:  role \"missing_role\" does not exist";
            }
            return "ok";
        }
        boolean passes = !missing && rightPassword && !role.equals("nopw_role")
                && !(method.equals("scram-sha-256") && role.equals("md5_role"));
        if (passes) {
            return "ok";
        }
        return jdbc ? "28P01 FATAL: " + fatal28P01 : "FATAL:  " + fatal28P01;
    }

    @Test
    void everyMethodRoleAndPassword() throws Exception {
        List<String> mismatches = new ArrayList<>();
        int cases = 0;
        for (String method : List.of("trust", "password", "md5", "scram-sha-256")) {
            AuthHelper.hba(server, "host all all 127.0.0.1/32 " + method, "local all all " + method);
            for (String role : List.of("scram_role", "md5_role", "nopw_role", "missing_role")) {
                for (boolean right : List.of(true, false)) {
                    String pw = right ? PW : "wrong";
                    for (String host : List.of("127.0.0.1", server.socketDir().toString())) {
                        String psql = AuthHelper.psql(server, role, pw, host, Map.of());
                        if (!psql.equals(expected(method, role, right, false))) {
                            mismatches.add(method + " " + role + " " + pw + " psql " + host + ": " + psql);
                        }
                        cases++;
                    }
                    String jdbc = AuthHelper.jdbc(server, role, pw, "127.0.0.1");
                    if (!jdbc.equals(expected(method, role, right, true))) {
                        mismatches.add(method + " " + role + " " + pw + " jdbc: " + jdbc);
                    }
                    cases++;
                }
            }
        }
        assertEquals(List.of(), mismatches, "of " + cases + " cases");
        String log = server.logText();
        assertFalse(log.contains(PW), "the server log shows a password");
        assertTrue(log.contains("DETAIL:  Role \"missing_role\" does not exist."), log);
        assertTrue(log.contains("DETAIL:  User \"nopw_role\" has no password assigned."), log);
        assertTrue(log.contains("DETAIL:  Password does not match for user \"md5_role\".\n"
                + "\tConnection matched pg_hba.conf line 4: \"host all all 127.0.0.1/32 md5\""), log);
    }

    /** md5 and password lines with password_encryption = md5 for a missing role: the same answer. */
    @Test
    void expiredPasswordAndNoEnumeration() throws Exception {
        AuthHelper.sql(server, "CREATE ROLE expired_role LOGIN PASSWORD '" + PW + "' VALID UNTIL '2001-01-01'");
        AuthHelper.hba(server, "host all all 127.0.0.1/32 scram-sha-256");
        assertEquals("28P01 FATAL: password authentication failed for user \"expired_role\"",
                AuthHelper.jdbc(server, "expired_role", PW, "127.0.0.1"));
        assertTrue(server.logText().contains("DETAIL:  User \"expired_role\" has an expired password."));
        AuthHelper.sql(server, "ALTER ROLE expired_role VALID UNTIL 'infinity'");
        assertEquals("ok", AuthHelper.jdbc(server, "expired_role", PW, "127.0.0.1"));
    }

    /**
     * psql's \password: it reads the new password twice (from stdin when there is no terminal),
     * hashes it as the server's password_encryption says and sends ALTER USER ... PASSWORD with
     * the hash; the role then logs in with the new password only.
     */
    @Test
    void psqlBackslashPassword() throws Exception {
        AuthHelper.sql(server, "CREATE ROLE pw_change LOGIN PASSWORD 'old-Pw'");
        for (String encryption : List.of("scram-sha-256", "md5")) {
            AuthHelper.hba(server, "host all all 127.0.0.1/32 " + encryption, "local all all md5");
            String newPw = "new-" + encryption;
            Cmd.Result r = Cmd.run(List.of("bash", "-c", "printf '%s\\n%s\\n' \"$1\" \"$1\" | setsid -w /usr/bin/psql -X "
                    + "-h 127.0.0.1 -p \"$2\" -U \"$3\" -d postgres -c '\\password pw_change'", "psql", newPw,
                    Integer.toString(server.port()), server.user()), java.time.Duration.ofSeconds(60),
                    Map.of("PGOPTIONS", "-c password_encryption=" + encryption, "PGSSLMODE", "disable"), null);
            assertEquals(0, r.exit(), r.toString());
            try (java.sql.Connection c = server.connect(); java.sql.Statement s = c.createStatement();
                    java.sql.ResultSet rs = s.executeQuery("SELECT rolpassword FROM pg_authid WHERE rolname = 'pw_change'")) {
                assertTrue(rs.next());
                String secret = rs.getString(1);
                assertTrue(encryption.equals("md5") ? secret.matches("md5[0-9a-f]{32}")
                        : secret.startsWith("SCRAM-SHA-256$4096:"), secret);
            }
            for (String host : List.of("127.0.0.1", server.socketDir().toString())) {
                assertEquals("ok", AuthHelper.psql(server, "pw_change", newPw, host, Map.of()), host);
                assertEquals("FATAL:  password authentication failed for user \"pw_change\"",
                        AuthHelper.psql(server, "pw_change", "old-Pw", host, Map.of()), host);
            }
            assertEquals("ok", AuthHelper.jdbc(server, "pw_change", newPw, "127.0.0.1"));
        }
    }
}
