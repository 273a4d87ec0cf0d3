package org.osgres.auth.hba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.auth.AuthRequest;
import org.osgres.api.auth.Role;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.session.ClientAddress;
import org.osgres.api.session.TlsInfo;
import org.osgres.auth.hba.crypt.PasswordHashes;
import org.osgres.auth.hba.crypt.ScramSecret;
import org.osgres.auth.hba.roles.FileRoleCatalog;

/**
 * Every password method against SCRAM- and md5-stored roles, right and wrong passwords, missing
 * roles, roles without a password and with an expired one (as 001_password.pl), with the
 * SQLSTATE, the client's message and the server log's DETAIL.
 */
class PasswordMethodsTest {
    private static final Clock NOW = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    @TempDir
    Path dir;
    FileRoleCatalog roles;

    @BeforeEach
    void roles() throws Exception {
        roles = new FileRoleCatalog(dir);
        roles.create(role("scram_role", ScramSecret.build("pass"), null));
        roles.create(role("md5_role", PasswordHashes.md5Secret("pass", "md5_role"), null));
        roles.create(role("nopw_role", null, null));
        roles.create(role("expired_role", ScramSecret.build("pass"), OffsetDateTime.parse("2000-01-01T00:00:00Z")));
        roles.create(role("future_role", ScramSecret.build("pass"), OffsetDateTime.parse("2100-01-01T00:00:00Z")));
    }

    static Role role(String name, String password, OffsetDateTime until) {
        return new Role(0, name, false, true, false, false, true, false, false, -1, password, until);
    }

    private void run(String method, String user, String password) throws Exception {
        run(method, user, password, "scram-sha-256");
    }

    private FakeClient run(String method, String user, String password, String encryption) throws Exception {
        FakeClient c = new FakeClient(user, password);
        AuthRequest req = new AuthRequest(user, "postgres", new ClientAddress(new InetSocketAddress("127.0.0.1", 5), false));
        PasswordChallenge challenge = new PasswordChallenge(roles, () -> encryption, NOW);
        switch (method) {
            case "password" -> new PasswordAuthMethod(roles, NOW).authenticate(req, Map.of(), c);
            case "md5" -> new Md5AuthMethod(challenge).authenticate(req, Map.of(), c);
            case "scram-sha-256" -> new ScramAuthMethod(challenge).authenticate(req, Map.of(), c);
            default -> throw new IllegalArgumentException(method);
        }
        return c;
    }

    private void fails(String method, String user, String password, String logDetail) {
        PgException e = assertThrows(PgException.class, () -> run(method, user, password));
        assertEquals(SqlState.INVALID_PASSWORD, e.sqlState(), e.getMessage());
        assertEquals("password authentication failed for user \"" + user + "\"", e.getMessage());
        assertEquals(null, e.detail()); // the client never learns why
        assertEquals(logDetail, e.logDetail());
    }

    @Test
    void matrix() throws Exception {
        for (String method : List.of("password", "md5", "scram-sha-256")) {
            run(method, "scram_role", "pass");
            run(method, "future_role", "pass");
            if (!method.equals("scram-sha-256")) {
                run(method, "md5_role", "pass");
            } else {
                fails(method, "md5_role", "pass", null); // no SCRAM secret: SCRAM cannot pass
            }
            fails(method, "scram_role", "wrong",
                    method.equals("password") ? "Password does not match for user \"scram_role\"." : null);
            fails(method, "md5_role", "wrong",
                    method.equals("scram-sha-256") ? null : "Password does not match for user \"md5_role\".");
            fails(method, "missing_role", "pass", "Role \"missing_role\" does not exist.");
            fails(method, "nopw_role", "pass", "User \"nopw_role\" has no password assigned.");
            fails(method, "expired_role", "pass", "User \"expired_role\" has an expired password.");
        }
    }

    @Test
    void exchangesChosenAsPostgres() throws Exception {
        assertEquals(List.of(3), run("password", "scram_role", "pass", "scram-sha-256").requests);
        assertEquals(List.of(5), run("md5", "md5_role", "pass", "scram-sha-256").requests);
        FakeClient c = run("md5", "scram_role", "pass", "scram-sha-256"); // md5 line, SCRAM secret: SCRAM
        assertEquals(List.of(10, 11, 12), c.requests);
        assertTrue(c.serverSignatureOk);
        // a missing role gets the exchange password_encryption names, then fails
        assertThrows(PgException.class, () -> run("md5", "missing_role", "pass", "md5"));
        FakeClient missing = new FakeClient("missing_role", "pass");
        assertThrows(PgException.class, () -> new Md5AuthMethod(new PasswordChallenge(roles, () -> "md5", NOW))
                .authenticate(new AuthRequest("missing_role", "db", ClientAddress.local()), Map.of(), missing));
        assertEquals(List.of(5), missing.requests);
        FakeClient missing2 = new FakeClient("missing_role", "pass");
        assertThrows(PgException.class, () -> new Md5AuthMethod(new PasswordChallenge(roles, () -> "scram-sha-256", NOW))
                .authenticate(new AuthRequest("missing_role", "db", ClientAddress.local()), Map.of(), missing2));
        assertEquals(List.of(10, 11), missing2.requests);
    }

    @Test
    void scramPlusOverTls() throws Exception {
        byte[] endPoint = ScramSecret.sha256("server certificate".getBytes());
        TlsInfo tls = new TlsInfo("TLSv1.3", "TLS_AES_256_GCM_SHA384", 256, List.of(), endPoint);
        AuthRequest req = new AuthRequest("scram_role", "db",
                new ClientAddress(new InetSocketAddress("127.0.0.1", 5), tls, null));
        ScramAuthMethod m = new ScramAuthMethod(new PasswordChallenge(roles, () -> "scram-sha-256", NOW));
        FakeClient plus = new FakeClient("scram_role", "pass", endPoint);
        m.authenticate(req, Map.of(), plus);
        assertEquals("SCRAM-SHA-256-PLUS SCRAM-SHA-256", plus.mechanismsOffered);
        assertTrue(plus.serverSignatureOk);
        // the client binds to another certificate: FATAL 28000
        FakeClient other = new FakeClient("scram_role", "pass", ScramSecret.sha256("other".getBytes()));
        PgException e = assertThrows(PgException.class, () -> m.authenticate(req, Map.of(), other));
        assertEquals(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, e.sqlState());
        assertEquals("SCRAM channel binding check failed", e.getMessage());
        // without TLS, PLUS is not offered
        FakeClient plain = new FakeClient("scram_role", "pass", endPoint);
        m.authenticate(new AuthRequest("scram_role", "db", ClientAddress.local()), Map.of(), plain);
        assertEquals("SCRAM-SHA-256", plain.mechanismsOffered);
    }

    @Test
    void rfc7677Exchange() {
        byte[] salt = java.util.Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        ScramExchange x = new ScramExchange("user", ScramSecret.build("pencil", salt, 4096), "SCRAM-SHA-256", null, false);
        x.useServerNonce("%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0");
        ScramExchange.Step first = x.exchange("n,,n=user,r=rOprNGfwEbeRWgbNEkqO".getBytes());
        assertEquals("r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
                new String(first.output()));
        ScramExchange.Step last = x.exchange(("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=").getBytes());
        assertEquals(ScramExchange.Status.SUCCESS, last.status());
        assertEquals("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", new String(last.output()));
    }

    @Test
    void malformedScramMessages() {
        ScramSecret s = ScramSecret.parse(ScramSecret.build("pencil"));
        PgException e = assertThrows(PgException.class,
                () -> new ScramExchange("u", s, "SCRAM-SHA-1", null, false));
        assertEquals("client selected an invalid SASL authentication mechanism", e.getMessage());
        assertEquals(SqlState.PROTOCOL_VIOLATION, e.sqlState());
        e = assertThrows(PgException.class,
                () -> new ScramExchange("u", s, "SCRAM-SHA-256", null, false).exchange("x,,n=,r=abc".getBytes()));
        assertEquals("malformed SCRAM message", e.getMessage());
        assertEquals("Unexpected channel-binding flag \"x\".", e.detail());
        e = assertThrows(PgException.class,
                () -> new ScramExchange("u", s, "SCRAM-SHA-256", null, false).exchange("n,a=x,n=,r=abc".getBytes()));
        assertEquals("client uses authorization identity, but it is not supported", e.getMessage());
        ScramExchange x = new ScramExchange("u", s, "SCRAM-SHA-256", null, false);
        x.exchange("n,,n=,r=abc".getBytes());
        e = assertThrows(PgException.class, () -> x.exchange("c=biws,r=other,p=AAAA".getBytes()));
        assertEquals("Malformed proof in client-final-message.", e.detail());
    }
}
