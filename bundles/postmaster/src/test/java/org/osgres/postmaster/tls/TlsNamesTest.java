package org.osgres.postmaster.tls;

import org.osgres.testing.TestPki;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsNamesTest {

    @Test
    void opensslCipherNames() {
        assertEquals("ECDHE-RSA-AES256-GCM-SHA384", TlsNames.opensslCipherName("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
        assertEquals("ECDHE-ECDSA-AES128-GCM-SHA256", TlsNames.opensslCipherName("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
        assertEquals("ECDHE-RSA-CHACHA20-POLY1305", TlsNames.opensslCipherName("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"));
        assertEquals("DHE-RSA-AES256-GCM-SHA384", TlsNames.opensslCipherName("TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"));
        assertEquals("ECDHE-RSA-AES256-SHA384", TlsNames.opensslCipherName("TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"));
        assertEquals("AES128-SHA", TlsNames.opensslCipherName("TLS_RSA_WITH_AES_128_CBC_SHA"));
        assertEquals("AES256-GCM-SHA384", TlsNames.opensslCipherName("TLS_RSA_WITH_AES_256_GCM_SHA384"));
        assertEquals("TLS_AES_256_GCM_SHA384", TlsNames.opensslCipherName("TLS_AES_256_GCM_SHA384"));
        assertEquals(256, TlsNames.cipherBits("TLS_AES_256_GCM_SHA384"));
        assertEquals(128, TlsNames.cipherBits("TLS_AES_128_GCM_SHA256"));
        assertEquals(256, TlsNames.cipherBits("TLS_CHACHA20_POLY1305_SHA256"));
    }

    /**
     * The subject "/CN=alice/O=Osgres Test, Inc./C=DE" as PostgreSQL 15.18's pg_stat_ssl showed it
     * for a certificate made with these openssl commands (client_dn, issuer_dn columns).
     */
    @Test
    void distinguishedNamesAsPgStatSslShowsThem(@TempDir Path dir) throws Exception {
        TestPki pki = TestPki.create(dir);
        X509Certificate client = PemFiles.certificates(Files.readAllBytes(pki.file("client.crt"))).get(0);
        assertEquals("/CN=alice/O=Osgres Test\\, Inc./C=DE", TlsNames.distinguishedName(client.getSubjectX500Principal()));
        assertEquals("/CN=osgres test CA", TlsNames.distinguishedName(client.getIssuerX500Principal()));

        X509Certificate server = PemFiles.certificates(Files.readAllBytes(pki.file("server.crt"))).get(0);
        assertEquals("SHA256withRSA", server.getSigAlgName());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(server.getEncoded()), TlsNames.serverEndPoint(server));
    }
}
