/*
 * ScramSecret: a SCRAM-SHA-256 verifier as pg_authid stores it,
 * SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey> (base64), and the primitives of
 * RFC 5802 over SHA-256 (PostgreSQL: src/common/scram-common.c, parse_scram_secret() and
 * scram_build_secret() in libpq/auth-scram.c).
 *
 * No OSGi here: initdb (the launcher) builds the superuser's secret with it.
 *
 * Entry points: build(), parse(), verifyPlain(); hmac(), sha256(), saltedPassword(), clientKey().
 * See also: SaslPrep -- the password's normalisation; PasswordHashes -- md5 and the type test.
 */
package org.osgres.auth.hba.crypt;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public record ScramSecret(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {
    /** PostgreSQL: SCRAM_DEFAULT_ITERATIONS (scram_iterations is a PostgreSQL 16 setting). */
    public static final int DEFAULT_ITERATIONS = 4096;
    /** PostgreSQL: SCRAM_DEFAULT_SALT_LEN. */
    public static final int DEFAULT_SALT_LENGTH = 16;
    public static final String PREFIX = "SCRAM-SHA-256$";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** scram_build_secret() with a fresh random salt and the default iteration count. */
    public static String build(String password) {
        byte[] salt = new byte[DEFAULT_SALT_LENGTH];
        RANDOM.nextBytes(salt);
        return build(password, salt, DEFAULT_ITERATIONS).toString();
    }

    /** The secret of a password (SASLprep applied first, raw password if SASLprep refuses it). */
    public static ScramSecret build(String password, byte[] salt, int iterations) {
        byte[] salted = saltedPassword(password, salt, iterations);
        byte[] serverKey = hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
        return new ScramSecret(iterations, salt.clone(), sha256(clientKey(salted)), serverKey);
    }

    /** parse_scram_secret(): the parts, or null when the text is not a well-formed secret. */
    public static ScramSecret parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            return null;
        }
        String rest = text.substring(PREFIX.length());
        int dollar = rest.indexOf('$');
        if (dollar < 0) {
            return null;
        }
        String[] iterSalt = rest.substring(0, dollar).split(":", -1);
        String[] keys = rest.substring(dollar + 1).split(":", -1);
        if (iterSalt.length != 2 || keys.length != 2) {
            return null;
        }
        try {
            int iterations = Integer.parseInt(iterSalt[0]);
            Base64.Decoder b64 = Base64.getDecoder();
            byte[] salt = b64.decode(iterSalt[1]);
            byte[] stored = b64.decode(keys[0]);
            byte[] server = b64.decode(keys[1]);
            if (iterations <= 0 || stored.length != 32 || server.length != 32) {
                return null;
            }
            return new ScramSecret(iterations, salt, stored, server);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** scram_verify_plain_password(): does the cleartext password give this secret? Constant time. */
    public boolean verifyPlain(String password) {
        byte[] salted = saltedPassword(password, salt, iterations);
        byte[] computed = hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
        return MessageDigest.isEqual(computed, serverKey);
    }

    /** scram_SaltedPassword(): Hi(SASLprep(password), salt, i), PBKDF2 with HMAC-SHA-256. */
    public static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        String prepared = SaslPrep.prepare(password);
        byte[] pw = (prepared != null ? prepared : password).getBytes(StandardCharsets.UTF_8);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // an empty HMAC key is the same as a one-zero-byte key (HMAC pads keys with zeros)
            mac.init(new SecretKeySpec(pw.length == 0 ? new byte[1] : pw, "HmacSHA256"));
            mac.update(salt);
            mac.update(new byte[] {0, 0, 0, 1});
            byte[] u = mac.doFinal();
            byte[] result = u.clone();
            for (int i = 2; i <= iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < result.length; j++) {
                    result[j] ^= u[j];
                }
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ClientKey = HMAC(SaltedPassword, "Client Key"). */
    public static byte[] clientKey(byte[] saltedPassword) {
        return hmac(saltedPassword, "Client Key".getBytes(StandardCharsets.US_ASCII));
    }

    public static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text pg_authid stores. */
    @Override
    public String toString() {
        Base64.Encoder b64 = Base64.getEncoder();
        return PREFIX + iterations + ":" + b64.encodeToString(salt) + "$" + b64.encodeToString(storedKey) + ":"
                + b64.encodeToString(serverKey);
    }
}
