package org.osgres.postmaster.tls;

import org.osgres.testing.TestPki;
import org.osgres.testing.TestSettings;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;

/**
 * The server's TLS configuration and PostgreSQL's startup errors for bad files (the texts as
 * PostgreSQL 15.18 printed them for the same files, recorded by e2e/tools/record-ssl-startup-errors.sh).
 */
class SslServerContextTest {
    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void files() throws Exception {
        pki = TestPki.create(dir);
        Files.writeString(dir.resolve("garbage.pem"), "garbage\n");
        Files.setPosixFilePermissions(dir.resolve("garbage.pem"), PosixFilePermissions.fromString("rw-------"));
        Files.copy(dir.resolve("server.key"), dir.resolve("open.key"));
        Files.setPosixFilePermissions(dir.resolve("open.key"), PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static String failure(TestSettings settings) {
        PgException e = assertThrows(PgException.class, () -> SslServerContext.load(settings, true));
        assertEquals(Severity.FATAL, e.severity());
        assertEquals(SqlState.CONFIG_FILE_ERROR, e.sqlState());
        return e.getMessage() + (e.detail() == null ? "" : "\nDETAIL:  " + e.detail());
    }

    @Test
    void loadsGoodFiles() {
        SslServerContext ctx = SslServerContext.load(sslSettings(dir).with("ssl_ca_file", "ca.crt"), true);
        var engine = ctx.newEngine();
        assertTrue(engine.getWantClientAuth(), "ssl_ca_file requests a client certificate");
        assertFalse(engine.getNeedClientAuth(), "but does not require one");
        assertArrayEquals(new String[] {"TLSv1.2", "TLSv1.3"}, engine.getEnabledProtocols());
        assertFalse(SslServerContext.load(sslSettings(dir), true).newEngine().getWantClientAuth());
        assertArrayEquals(new String[] {"TLSv1.3"},
                SslServerContext.load(sslSettings(dir).with("ssl_min_protocol_version", "tlsv1.3"), true)
                        .newEngine().getEnabledProtocols());
    }

    /** PostgreSQL 15's message for a case of e2e/tools/record-ssl-startup-errors.sh. */
    private static String golden(String name) throws Exception {
        try (var in = SslServerContextTest.class.getResourceAsStream("ssl-startup-errors.golden")) {
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                String[] f = line.split("\t", 2);
                if (f[0].equals(name)) {
                    return f[1].replace("\\n", "\n").replace("DATADIR", dir.toString());
                }
            }
        }
        throw new AssertionError("no golden case " + name);
    }

    @Test
    void missingFiles() throws Exception {
        assertEquals(golden("missing-cert"), failure(sslSettings(dir).with("ssl_cert_file", "nope.crt")));
        assertEquals(golden("missing-key"), failure(sslSettings(dir).with("ssl_key_file", "nope.key")));
        assertEquals(golden("missing-ca"), failure(sslSettings(dir).with("ssl_ca_file", "nope.crt")));
        assertEquals(golden("missing-crl"),
                failure(sslSettings(dir).with("ssl_ca_file", "ca.crt").with("ssl_crl_file", "nope.crl")));
    }

    @Test
    void garbageFiles() throws Exception {
        assertEquals(golden("garbage-cert"), failure(sslSettings(dir).with("ssl_cert_file", "garbage.pem")));
        assertEquals(golden("garbage-key"), failure(sslSettings(dir).with("ssl_key_file", "garbage.pem")));
        assertEquals(golden("garbage-ca"), failure(sslSettings(dir).with("ssl_ca_file", "garbage.pem")));
        assertEquals(golden("garbage-crl"),
                failure(sslSettings(dir).with("ssl_ca_file", "ca.crt").with("ssl_crl_file", "garbage.pem")));
    }

    @Test
    void badKeys() throws Exception {
        assertEquals(golden("mismatched-key"), failure(sslSettings(dir).with("ssl_key_file", "client.key")));
        assertEquals(golden("open-key"), failure(sslSettings(dir).with("ssl_key_file", "open.key")));
        assertEquals(golden("directory-key"), failure(sslSettings(dir).with("ssl_key_file", dir.toString())));
    }

    @Test
    void badSettings() throws Exception {
        assertEquals(golden("protocol-range"), failure(sslSettings(dir).with("ssl_min_protocol_version", "tlsv1.3")
                .with("ssl_max_protocol_version", "tlsv1.2")));
        assertEquals(golden("bad-ciphers"), failure(sslSettings(dir).with("ssl_ciphers", "foo")));
    }

    @Test
    void explicitCipherNamesRestrictTls12Suites() {
        var engine = SslServerContext.load(sslSettings(dir).with("ssl_ciphers", "ECDHE-RSA-AES128-GCM-SHA256"), true)
                .newEngine();
        var suites = java.util.List.of(engine.getEnabledCipherSuites());
        assertTrue(suites.contains("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"), suites.toString());
        assertFalse(suites.contains("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"), suites.toString());
        assertTrue(suites.contains("TLS_AES_256_GCM_SHA384"), "TLS 1.3 suites are not governed by ssl_ciphers");
    }

    @Test
    void reloadKeepsTheOldContextWhenTheNewFilesAreBad() {
        TestSettings settings = sslSettings(dir);
        ServerTls tls = new ServerTls(settings);
        tls.initialize();
        SslServerContext first = tls.current();
        assertNotNull(first);
        settings.values().put("ssl_cert_file", "nope.crt"); // the file changes under the running server
        tls.reload();
        assertSame(first, tls.current(), "SSL configuration was not reloaded");
        settings.values().put("ssl_cert_file", "server.crt");
        tls.reload();
        assertNotSame(first, tls.current());
        settings.values().put("ssl", "off");
        tls.reload();
        assertNull(tls.current());
    }

    /** PostgreSQL 15's defaults for the ssl_* settings, with ssl on, in a map the test may change. */
    static TestSettings sslSettings(java.nio.file.Path dir) {
        return new TestSettings(dir, new java.util.HashMap<>(java.util.Map.of(
                "ssl", "on", "ssl_cert_file", "server.crt", "ssl_key_file", "server.key", "ssl_ca_file", "",
                "ssl_crl_file", "", "ssl_crl_dir", "", "ssl_min_protocol_version", "tlsv1.2",
                "ssl_max_protocol_version", "", "ssl_ciphers", "HIGH:MEDIUM:+3DES:!aNULL",
                "ssl_prefer_server_ciphers", "on")));
    }
}
