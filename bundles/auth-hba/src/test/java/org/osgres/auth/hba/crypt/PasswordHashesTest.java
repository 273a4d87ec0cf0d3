package org.osgres.auth.hba.crypt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Secrets against PostgreSQL 15's own (pg-secrets.tsv, tools/record-auth-golden.sh) and RFC 7677. */
class PasswordHashesTest {

    static List<String[]> golden() throws IOException {
        try (InputStream in = PasswordHashesTest.class.getResourceAsStream("/org/osgres/auth/hba/pg-secrets.tsv")) {
            List<String[]> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.startsWith("#") && !line.isEmpty()) {
                    rows.add(line.split("\t", -1));
                }
            }
            return rows;
        }
    }

    @Test
    void scramSecretsMadeByPostgresVerify() throws IOException {
        int n = 0;
        for (String[] r : golden()) {
            if (!r[2].equals("scram-sha-256")) {
                continue;
            }
            ScramSecret s = ScramSecret.parse(r[3]);
            assertNotNull(s, r[3]);
            assertEquals(r[3], s.toString());
            assertTrue(s.verifyPlain(r[1]), r[0]);
            assertFalse(s.verifyPlain(r[1] + "x"), r[0]);
            // the same salt and iteration count give PostgreSQL's secret byte for byte (SASLprep included)
            assertEquals(r[3], ScramSecret.build(r[1], s.salt(), s.iterations()).toString(), r[0]);
            assertTrue(PasswordHashes.verifyPlain(r[0], r[3], r[1]));
            assertEquals(PasswordHashes.Type.SCRAM_SHA_256, PasswordHashes.type(r[3]));
            n++;
        }
        assertEquals(8, n);
    }

    @Test
    void md5SecretsMadeByPostgres() throws IOException {
        for (String[] r : golden()) {
            if (r[2].equals("md5")) {
                assertEquals(r[3], PasswordHashes.md5Secret(r[1], r[0]));
                assertEquals(r[3], PasswordHashes.encrypt(r[0], r[1], "md5"));
                assertTrue(PasswordHashes.verifyPlain(r[0], r[3], r[1]));
                assertFalse(PasswordHashes.verifyPlain(r[0], r[3], "wrong"));
                assertEquals(PasswordHashes.Type.MD5, PasswordHashes.type(r[3]));
            }
        }
    }

    @Test
    void encryptKeepsSecretsAndHashesCleartext() {
        String md5 = "md5" + "0123456789abcdef0123456789abcdef";
        assertEquals(md5, PasswordHashes.encrypt("u", md5, "scram-sha-256"));
        String scram = ScramSecret.build("pw");
        assertEquals(scram, PasswordHashes.encrypt("u", scram, "md5"));
        String made = PasswordHashes.encrypt("u", "pw", "scram-sha-256");
        ScramSecret s = ScramSecret.parse(made);
        assertEquals(4096, s.iterations());
        assertEquals(16, s.salt().length);
        assertTrue(s.verifyPlain("pw"));
        assertEquals(PasswordHashes.Type.PLAINTEXT, PasswordHashes.type("md5XYZ"));
        assertEquals(PasswordHashes.Type.PLAINTEXT, PasswordHashes.type("SCRAM-SHA-256$x"));
    }

    /** RFC 7677 section 3: user "user", password "pencil". */
    @Test
    void rfc7677KeysAndSignatures() {
        byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        ScramSecret s = ScramSecret.build("pencil", salt, 4096);
        String authMessage = "n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
        byte[] serverSignature = ScramSecret.hmac(s.serverKey(), authMessage.getBytes(StandardCharsets.UTF_8));
        assertEquals("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", Base64.getEncoder().encodeToString(serverSignature));
        byte[] clientKey = ScramSecret.clientKey(ScramSecret.saltedPassword("pencil", salt, 4096));
        byte[] sig = ScramSecret.hmac(s.storedKey(), authMessage.getBytes(StandardCharsets.UTF_8));
        byte[] proof = new byte[32];
        for (int i = 0; i < 32; i++) {
            proof[i] = (byte) (clientKey[i] ^ sig[i]);
        }
        assertEquals("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", Base64.getEncoder().encodeToString(proof));
    }

    /** SASLprep as PostgreSQL's saslprep.c; the cases of src/test/authentication/t/002_saslprep.pl. */
    @Test
    void saslPrep() {
        assertEquals("IX", SaslPrep.prepare("I\u00ADX"));      // soft hyphen maps to nothing
        assertEquals("IX", SaslPrep.prepare("\u2168"));        // roman numeral nine, NFKC
        assertEquals("a", SaslPrep.prepare("\u00AA"));         // feminine ordinal, NFKC
        assertEquals("x y", SaslPrep.prepare("x\u200By"));     // zero width space is a non-ASCII space (C.1.2), as PostgreSQL
        assertEquals("a b", SaslPrep.prepare("a\u00A0b"));     // no-break space maps to space
        assertNull(SaslPrep.prepare("\u0007\u00E9"));          // control character: prohibited
        assertNull(SaslPrep.prepare("\u0627\u0031"));          // RandALCat string not ending in RandALCat
        assertEquals("\u0627\u0031\u0628", SaslPrep.prepare("\u0627\u0031\u0628"));
        assertNull(SaslPrep.prepare("\u0627a\u0628"));         // RandALCat and LCat mixed
        assertEquals("plain ascii\u0007", SaslPrep.prepare("plain ascii\u0007")); // ASCII is left alone
    }
}
