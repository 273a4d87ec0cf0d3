package org.osgres.auth.hba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.auth.AuthMethod;
import org.osgres.api.auth.AuthRequest;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.session.ClientAddress;

class HbaAuthenticationTest {
    @TempDir
    Path dir;
    private Path file;
    private HbaAuthentication auth;

    @BeforeEach
    void setUp() throws Exception {
        file = dir.resolve("pg_hba.conf");
        auth = new HbaAuthentication(file, RoleMembership.SELF_ONLY);
        auth.addMethod(new TrustAuthMethod(), Map.of(AuthMethod.METHOD_PROPERTY, "trust"));
        auth.addMethod(new RejectAuthMethod(), Map.of(AuthMethod.METHOD_PROPERTY, "reject"));
    }

    private static AuthRequest local(String user, String db) {
        return new AuthRequest(user, db, ClientAddress.local());
    }

    /** Texts as PostgreSQL 15.18 sends them (checked against the reference server). */
    @Test
    void noEntryRejectAndTrust() throws Exception {
        Files.writeString(file, "local all rejuser reject\nlocal all all trust\nhost all rejuser 127.0.0.1/32 trust\n");
        assertTrue(auth.load());
        auth.authenticate(local("pgref", "postgres"), null);
        PgException e = assertThrows(PgException.class, () -> auth.authenticate(local("rejuser", "postgres"), null));
        assertEquals("28000", e.sqlState().code());
        assertEquals(Severity.FATAL, e.severity());
        assertEquals("pg_hba.conf rejects connection for host \"[local]\", user \"rejuser\", database \"postgres\", "
                + "no encryption", e.getMessage());
        AuthRequest tcp = new AuthRequest("pgref", "postgres",
                new ClientAddress(new InetSocketAddress("127.0.0.1", 40000), false));
        e = assertThrows(PgException.class, () -> auth.authenticate(tcp, null));
        assertEquals("28000", e.sqlState().code());
        assertEquals(Severity.FATAL, e.severity());
        assertEquals("no pg_hba.conf entry for host \"127.0.0.1\", user \"pgref\", database \"postgres\", "
                + "no encryption", e.getMessage());
    }

    @Test
    void methodNoBundleProvides() throws Exception {
        Files.writeString(file, "local all all md5\n");
        assertTrue(auth.loadAtStartup()); // a plug-in bundle may still come
        assertEquals(List.of("authentication method \"md5\" is not available: no installed bundle provides it\n"
                + "CONTEXT:  line 1 of configuration file \"" + file + "\""), auth.unavailableMethods());
        PgException e = assertThrows(PgException.class, () -> auth.authenticate(local("u", "d"), null));
        assertEquals("28000", e.sqlState().code());
        assertEquals(Severity.FATAL, e.severity());
        assertEquals("authentication method \"md5\" is not available: no installed bundle provides it", e.getMessage());
        auth.addMethod((req, opts, ex) -> { }, Map.of(AuthMethod.METHOD_PROPERTY, "md5"));
        assertEquals(List.of(), auth.unavailableMethods());
        auth.authenticate(local("u", "d"), null);
    }

    @Test
    void ldapNamesItsBundle() {
        assertEquals("authentication method \"ldap\" is not available: the bundle org.osgres.auth.ldap that provides "
                + "it is not installed", HbaAuthentication.missingMethod("ldap"));
        assertEquals("authentication method \"radius\" is not available: no installed bundle provides it",
                HbaAuthentication.missingMethod("radius"));
    }

    @Test
    void reloadRefusesAMissingMethodAndKeepsTheOldRules() throws Exception {
        Files.writeString(file, "local all all trust\n");
        assertTrue(auth.load());
        Files.writeString(file, "local all all reject\nhost all all all ldap ldapserver=x ldapprefix=cn=\n");
        assertFalse(auth.reload());
        assertEquals(1, auth.rules().lines().size());
        auth.authenticate(local("u", "d"), null);
        Files.writeString(file, "local all all mymethod\n"); // not PostgreSQL's, no plug-in: invalid
        assertFalse(auth.reload());
        auth.addMethod((req, opts, ex) -> { }, Map.of(AuthMethod.METHOD_PROPERTY, "mymethod"));
        assertTrue(auth.reload());
        assertEquals("mymethod", auth.rules().lines().get(0).method());
    }

    @Test
    void fileRulesShowAMissingMethod() throws Exception {
        Files.writeString(file, "local all all trust\nhost all all all radius radiusservers=a radiussecrets=b\n");
        HbaParser.Result r = auth.parseFileNow();
        assertFalse(r.ok());
        assertEquals(2, r.entries().size());
        assertEquals(null, r.entries().get(0).error());
        assertEquals("authentication method \"radius\" is not available: no installed bundle provides it",
                r.entries().get(1).error().message());
        assertEquals("host", r.entries().get(1).connType());
    }

    @Test
    void startupWaitsForAPlugInMethod() throws Exception {
        Files.writeString(file, "local all all trust\nhost all all all ldap ldapserver=x ldapprefix=cn=\n");
        assertTrue(auth.loadAtStartup());
        Thread late = Thread.ofVirtual().start(() -> auth.addMethod((req, opts, ex) -> { },
                Map.of(AuthMethod.METHOD_PROPERTY, "ldap")));
        long t0 = System.nanoTime();
        assertEquals(List.of(), auth.awaitMethods(Duration.ofSeconds(30), () -> false));
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(20).toNanos());
        late.join();
    }

    @Test
    void startupGivesUpWhenEveryBundleHasStarted() throws Exception {
        Files.writeString(file, "local all all trust\nhost all all all radius radiusservers=a radiussecrets=b\n");
        assertTrue(auth.loadAtStartup());
        assertEquals(List.of("authentication method \"radius\" is not available: no installed bundle provides it\n"
                + "CONTEXT:  line 2 of configuration file \"" + file + "\""),
                auth.awaitMethods(Duration.ofSeconds(30), () -> true));
        // and with no word from the framework, at the bound
        assertEquals(1, auth.awaitMethods(Duration.ofMillis(50), () -> false).size());
    }

    @Test
    void reloadKeepsOldRulesOnError() throws Exception {
        Files.writeString(file, "local all all trust\n");
        assertTrue(auth.load());
        Files.writeString(file, "local all all trust\nhots all all all reject\n");
        assertFalse(auth.reload());
        assertEquals(1, auth.rules().lines().size());
        auth.authenticate(local("u", "d"), null);
        Files.writeString(file, "");
        assertFalse(auth.reload());
        Files.delete(file);
        assertFalse(auth.reload());
        assertEquals(1, auth.rules().lines().size());
        Files.writeString(file, "local all all reject\n");
        assertTrue(auth.reload());
        assertThrows(PgException.class, () -> auth.authenticate(local("u", "d"), null));
    }

    @Test
    void sslConnectionsSaySo() throws Exception {
        Files.writeString(file, "hostnossl all all all trust\n");
        assertTrue(auth.load());
        AuthRequest ssl = new AuthRequest("u", "d", new ClientAddress(new InetSocketAddress("10.0.0.1", 1), true));
        PgException e = assertThrows(PgException.class, () -> auth.authenticate(ssl, null));
        assertEquals("no pg_hba.conf entry for host \"10.0.0.1\", user \"u\", database \"d\", SSL encryption",
                e.getMessage());
    }
}
