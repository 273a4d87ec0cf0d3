package org.osgres.auth.hba;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.auth.AuthRequest;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.session.ClientAddress;
import org.osgres.api.session.TlsInfo;

/**
 * peer (003_peer.pl) and cert with pg_ident.conf maps, with constructed ClientAddress/TlsInfo:
 * the postmaster's SO_PEERCRED and TLS are the tls branch's; these test the methods on their own.
 */
class PeerCertIdentTest {
    @TempDir
    Path dir;

    private IdentFile ident(String text) throws Exception {
        Path f = dir.resolve("pg_ident.conf");
        Files.writeString(f, text);
        IdentFile i = new IdentFile(f);
        assertTrue(i.load());
        return i;
    }

    @Test
    void peerWithoutMapNeedsTheSameName() throws Exception {
        PeerAuthMethod peer = new PeerAuthMethod(ident(""));
        peer.authenticate(new AuthRequest("alice", "db", ClientAddress.local("alice")), Map.of(), null);
        PgException e = assertThrows(PgException.class, () -> peer.authenticate(
                new AuthRequest("bob", "db", ClientAddress.local("alice")), Map.of(), null));
        assertEquals(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, e.sqlState());
        assertEquals("Peer authentication failed for user \"bob\"", e.getMessage());
        e = assertThrows(PgException.class, () -> peer.authenticate(
                new AuthRequest("bob", "db", ClientAddress.local()), Map.of(), null));
        assertEquals("Peer authentication failed for user \"bob\"", e.getMessage());
    }

    @Test
    void peerWithMapsAndRegexes() throws Exception {
        IdentFile i = ident("""
                # MAPNAME SYSTEM-USERNAME PG-USERNAME
                plain     alice           bob
                re        /^(.*)_sys$     \\1_db
                re        /^root$         admin
                nogroup   /^x.*$          \\1
                quoted    "al ice"        "Bob Role"
                """);
        PeerAuthMethod peer = new PeerAuthMethod(i);
        peer.authenticate(new AuthRequest("bob", "db", ClientAddress.local("alice")), Map.of("map", "plain"), null);
        peer.authenticate(new AuthRequest("carol_db", "db", ClientAddress.local("carol_sys")), Map.of("map", "re"), null);
        peer.authenticate(new AuthRequest("admin", "db", ClientAddress.local("root")), Map.of("map", "re"), null);
        peer.authenticate(new AuthRequest("Bob Role", "db", ClientAddress.local("al ice")), Map.of("map", "quoted"), null);
        assertThrows(PgException.class, () -> peer.authenticate(
                new AuthRequest("carol_db", "db", ClientAddress.local("dave_sys")), Map.of("map", "re"), null));
        assertThrows(PgException.class, () -> peer.authenticate(
                new AuthRequest("bob", "db", ClientAddress.local("alice")), Map.of("map", "re"), null));
        assertThrows(PgException.class, () -> peer.authenticate(
                new AuthRequest("xy", "db", ClientAddress.local("xy")), Map.of("map", "nogroup"), null));
        assertFalse(i.checkUsermap("missing", "bob", "alice", false));
    }

    @Test
    void identFileErrorsKeepTheOldMaps() throws Exception {
        Path f = dir.resolve("pg_ident.conf");
        Files.writeString(f, "m a b\n");
        IdentFile i = new IdentFile(f);
        assertTrue(i.load());
        Files.writeString(f, "m a\n");
        assertFalse(i.load());
        Files.writeString(f, "m /a( b\n");
        assertFalse(i.load());
        assertEquals(1, i.lines().size());
        assertTrue(i.checkUsermap("m", "b", "a", false));
        // @file inclusion works in pg_ident.conf too (004_file_inclusion)
        Files.writeString(dir.resolve("users.list"), "c\n");
        Files.writeString(f, "m a b\nm2 @users.list d\n");
        assertTrue(i.load());
        assertTrue(i.checkUsermap("m2", "d", "c", false));
    }

    /** A client certificate made by keytool, CN as given. */
    private X509Certificate certificate(String dname) throws Exception {
        Path ks = dir.resolve("ks-" + Math.abs(dname.hashCode()) + ".p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "c", "-keyalg", "EC", "-dname", dname,
                "-storetype", "PKCS12", "-keystore", ks.toString(), "-storepass", "secret", "-validity", "2")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
        KeyStore k = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(ks.toFile())) {
            k.load(in, "secret".toCharArray());
        }
        return (X509Certificate) k.getCertificate("c");
    }

    private static AuthRequest tls(String user, List<X509Certificate> chain) {
        return new AuthRequest(user, "db", new ClientAddress(new InetSocketAddress("127.0.0.1", 1),
                new TlsInfo("TLSv1.3", "TLS_AES_128_GCM_SHA256", 128, chain, new byte[32]), null));
    }

    @Test
    void certMatchesCnOrMapOrDn() throws Exception {
        X509Certificate alice = certificate("CN=alice, O=osgres");
        IdentFile i = ident("certmap alice alice_role\n");
        CertAuthMethod cert = new CertAuthMethod(i);
        cert.authenticate(tls("alice", List.of(alice)), Map.of(), null);
        cert.authenticate(tls("alice_role", List.of(alice)), Map.of("map", "certmap"), null);
        PgException e = assertThrows(PgException.class,
                () -> cert.authenticate(tls("bob", List.of(alice)), Map.of(), null));
        assertEquals(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, e.sqlState());
        assertEquals("certificate authentication failed for user \"bob\"", e.getMessage());
        IdentFile dn = ident("dnmap \"CN=alice,O=osgres\" dn_role\n");
        new CertAuthMethod(dn).authenticate(tls("dn_role", List.of(alice)), Map.of("map", "dnmap", "clientname", "DN"),
                null);
        X509Certificate noCn = certificate("O=osgres");
        assertThrows(PgException.class, () -> cert.authenticate(tls("alice", List.of(noCn)), Map.of(), null));
    }

    @Test
    void clientcertOnOtherMethodsAndMissingCertificates() throws Exception {
        Path hba = dir.resolve("pg_hba.conf");
        Files.writeString(hba, """
                hostssl all all all cert
                """);
        HbaAuthentication auth = new HbaAuthentication(hba, RoleMembership.SELF_ONLY);
        auth.addMethod(new CertAuthMethod(ident("")), Map.of(org.osgres.api.auth.AuthMethod.METHOD_PROPERTY, "cert"));
        assertTrue(auth.load());
        PgException e = assertThrows(PgException.class, () -> auth.authenticate(tls("alice", List.of()), null));
        assertEquals("connection requires a valid client certificate", e.getMessage());
        X509Certificate alice = certificate("CN=alice");
        auth.authenticate(tls("alice", List.of(alice)), null);
        e = assertThrows(PgException.class, () -> auth.authenticate(tls("bob", List.of(alice)), null));
        assertEquals("certificate authentication failed for user \"bob\"", e.getMessage());
        assertEquals("Connection matched pg_hba.conf line 1: \"hostssl all all all cert\"", e.logDetail());

        Files.writeString(hba, "hostssl all all all trust clientcert=verify-full\n");
        auth.setIdentForTests(ident(""));
        auth.addMethod(new TrustAuthMethod(), Map.of(org.osgres.api.auth.AuthMethod.METHOD_PROPERTY, "trust"));
        assertTrue(auth.load());
        auth.authenticate(tls("alice", List.of(alice)), null);
        e = assertThrows(PgException.class, () -> auth.authenticate(tls("bob", List.of(alice)), null));
        assertEquals("\"trust\" authentication failed for user \"bob\"", e.getMessage());
    }
}
