package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * PostgreSQL's src/test/authentication/t/002_saslprep.pl: SCRAM with non-ASCII passwords that
 * SASLprep maps to the same string, through psql and pgjdbc (both apply SASLprep too).
 */
class AuthSaslprepIT extends WithServer {

    private static void check(String role, String password, String expected) throws Exception {
        String jdbcExpected = expected.equals("ok") ? "ok"
                : "28P01 FATAL: password authentication failed for user \"" + role + "\"";
        String psqlExpected = expected.equals("ok") ? "ok"
                : "FATAL:  password authentication failed for user \"" + role + "\"";
        assertEquals(psqlExpected, AuthHelper.psql(server, role, password, "127.0.0.1", Map.of()), role + " " + password);
        assertEquals(jdbcExpected, AuthHelper.jdbc(server, role, password, "127.0.0.1"), role + " " + password);
    }

    @Test
    void saslprep() throws Exception {
        AuthHelper.sql(server, "SET password_encryption = 'scram-sha-256'",
                "CREATE ROLE saslpreptest1_role LOGIN PASSWORD 'IX'",          // ASCII
                "CREATE ROLE saslpreptest4a_role LOGIN PASSWORD 'a'",
                "CREATE ROLE saslpreptest4b_role LOGIN PASSWORD E'\\u00aa'",  // ª, NFKC gives a
                "CREATE ROLE saslpreptest6_role LOGIN PASSWORD E'foo\\x07bar'", // prohibited: raw bytes
                "CREATE ROLE saslpreptest7_role LOGIN PASSWORD E'foo\\u0627\\u0031bar'"); // bidi failure
        AuthHelper.hba(server, "host all all 127.0.0.1/32 scram-sha-256");
        check("saslpreptest1_role", "IX", "ok");
        check("saslpreptest1_role", "I\u00ADX", "ok");      // soft hyphen maps to nothing
        check("saslpreptest1_role", "\u2168", "ok");        // roman numeral nine
        check("saslpreptest1_role", "I\u00ADx", "fail");
        check("saslpreptest4a_role", "a", "ok");
        check("saslpreptest4a_role", "\u00AA", "ok");
        check("saslpreptest4b_role", "a", "ok");
        check("saslpreptest4b_role", "\u00AA", "ok");
        check("saslpreptest6_role", "foo\u0007bar", "ok");
        check("saslpreptest6_role", "foobar", "fail");
        check("saslpreptest7_role", "foo\u0627\u0031bar", "ok");
        check("saslpreptest7_role", "foo\u0627bar", "fail");
    }
}
