package org.osgres.postmaster.tls;

import org.osgres.testing.TestPki;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM keys in the three forms PostgreSQL's server accepts, as openssl writes them. */
class PemFilesTest {
    @TempDir
    static Path dir;
    static TestPki pki;

    @BeforeAll
    static void keys() throws Exception {
        pki = TestPki.create(dir);
        pki.openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa-pkcs8.pem");
        pki.openssl("pkey", "-in", "rsa-pkcs8.pem", "-traditional", "-out", "rsa-pkcs1.pem");
        pki.openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec-sec1.pem");
        pki.openssl("pkey", "-in", "ec-sec1.pem", "-out", "ec-pkcs8.pem");
        pki.openssl("ecparam", "-name", "secp384r1", "-genkey", "-out", "ec384-sec1-with-params.pem");
        pki.openssl("genpkey", "-algorithm", "ED25519", "-out", "ed25519.pem");
        for (String k : List.of("rsa-pkcs8", "ec-sec1", "ec384-sec1-with-params", "ed25519")) {
            pki.openssl("req", "-x509", "-key", k + ".pem", "-out", k + ".crt", "-days", "1", "-subj", "/CN=" + k);
        }
        pki.openssl("pkey", "-in", "rsa-pkcs8.pem", "-traditional", "-aes128", "-passout", "pass:secret",
                "-out", "rsa-encrypted.pem");
    }

    private static byte[] read(String name) throws Exception {
        return Files.readAllBytes(pki.file(name));
    }

    private static X509Certificate cert(String name) throws Exception {
        return PemFiles.certificates(read(name)).get(0);
    }

    @Test
    void pkcs8RsaKey() throws Exception {
        assertTrue(Files.readString(pki.file("rsa-pkcs8.pem")).startsWith("-----BEGIN PRIVATE KEY-----"));
        PrivateKey key = PemFiles.privateKey(read("rsa-pkcs8.pem"));
        assertEquals("RSA", key.getAlgorithm());
        assertTrue(SslServerContext.keyMatches(key, cert("rsa-pkcs8.crt")));
    }

    @Test
    void pkcs1RsaKey() throws Exception {
        assertTrue(Files.readString(pki.file("rsa-pkcs1.pem")).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        PrivateKey key = PemFiles.privateKey(read("rsa-pkcs1.pem"));
        assertEquals("RSA", key.getAlgorithm());
        assertTrue(SslServerContext.keyMatches(key, cert("rsa-pkcs8.crt")), "the same key as its PKCS#8 form");
        assertArrayEquals(PemFiles.privateKey(read("rsa-pkcs8.pem")).getEncoded(), key.getEncoded());
    }

    @Test
    void sec1EcKey() throws Exception {
        assertTrue(Files.readString(pki.file("ec-sec1.pem")).startsWith("-----BEGIN EC PRIVATE KEY-----"));
        PrivateKey key = PemFiles.privateKey(read("ec-sec1.pem"));
        assertEquals("EC", key.getAlgorithm());
        assertTrue(SslServerContext.keyMatches(key, cert("ec-sec1.crt")));
        assertTrue(SslServerContext.keyMatches(PemFiles.privateKey(read("ec-pkcs8.pem")), cert("ec-sec1.crt")));
    }

    @Test
    void sec1KeyAfterEcParametersBlock() throws Exception {
        // "openssl ecparam -genkey" without -noout writes an "EC PARAMETERS" block first
        assertTrue(Files.readString(pki.file("ec384-sec1-with-params.pem")).startsWith("-----BEGIN EC PARAMETERS-----"));
        PrivateKey key = PemFiles.privateKey(read("ec384-sec1-with-params.pem"));
        assertTrue(SslServerContext.keyMatches(key, cert("ec384-sec1-with-params.crt")));
    }

    @Test
    void ed25519Key() throws Exception {
        PrivateKey key = PemFiles.privateKey(read("ed25519.pem"));
        assertTrue(SslServerContext.keyMatches(key, cert("ed25519.crt")));
        assertNull(TlsNames.serverEndPoint(cert("ed25519.crt")), "no hash for an Ed25519 signature");
    }

    @Test
    void keyOfAnotherCertificateDoesNotMatch() throws Exception {
        assertFalse(SslServerContext.keyMatches(PemFiles.privateKey(read("client.key")), cert("server.crt")));
        assertFalse(SslServerContext.keyMatches(PemFiles.privateKey(read("ec-sec1.pem")), cert("rsa-pkcs8.crt")));
    }

    @Test
    void badFilesGiveOpensslReasons() throws Exception {
        byte[] garbage = "garbage\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals("unsupported", assertThrows(PemFiles.PemException.class, () -> PemFiles.privateKey(garbage)).getMessage());
        assertEquals("no start line", assertThrows(PemFiles.PemException.class, () -> PemFiles.certificates(garbage)).getMessage());
        assertEquals("no certificate or crl found",
                assertThrows(PemFiles.PemException.class, () -> PemFiles.certificatesAndCrls(garbage)).getMessage());
        assertEquals("bad decrypt",
                assertThrows(PemFiles.PemException.class, () -> PemFiles.privateKey(read("rsa-encrypted.pem"))).getMessage());
    }

    @Test
    void chainFileKeepsOrder() throws Exception {
        Files.writeString(pki.file("chain.crt"), Files.readString(pki.file("server.crt")) + Files.readString(pki.file("ca.crt")));
        List<X509Certificate> chain = PemFiles.certificates(read("chain.crt"));
        assertEquals(2, chain.size());
        assertEquals("CN=localhost", chain.get(0).getSubjectX500Principal().getName());
        assertEquals("CN=osgres test CA", chain.get(1).getSubjectX500Principal().getName());
    }
}
