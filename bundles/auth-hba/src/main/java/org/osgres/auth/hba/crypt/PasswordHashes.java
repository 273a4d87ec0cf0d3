/*
 * PasswordHashes: what pg_authid.rolpassword holds and how a password is checked against it
 * (PostgreSQL: libpq/crypt.c -- get_password_type(), encrypt_password(), md5_crypt_verify(),
 * plain_crypt_verify(); common/md5_common.c -- pg_md5_encrypt()).
 *
 * Secrets are "md5" followed by md5hex(password || role name), or SCRAM-SHA-256 secrets
 * (ScramSecret). Comparisons are in constant time (MessageDigest.isEqual). No OSGi here: initdb
 * uses it for --pwfile.
 *
 * Entry points: type(), encrypt(), md5Secret(), md5Salted(), verifyPlain().
 */
package org.osgres.auth.hba.crypt;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

public final class PasswordHashes {
    /** PostgreSQL: MD5_PASSWD_LEN, "md5" and 32 hex digits. */
    public static final int MD5_PASSWD_LEN = 35;

    /** PasswordType. */
    public enum Type { PLAINTEXT, MD5, SCRAM_SHA_256 }

    private PasswordHashes() {
    }

    /** get_password_type(). */
    public static Type type(String shadow) {
        if (shadow.length() == MD5_PASSWD_LEN && shadow.startsWith("md5")
                && shadow.substring(3).chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return Type.MD5;
        }
        if (ScramSecret.parse(shadow) != null) {
            return Type.SCRAM_SHA_256;
        }
        return Type.PLAINTEXT;
    }

    /**
     * encrypt_password(): a secret passes through; a cleartext password is hashed as
     * password_encryption says ("md5" or "scram-sha-256").
     */
    public static String encrypt(String role, String password, String method) {
        if (type(password) != Type.PLAINTEXT) {
            return password;
        }
        return switch (method) {
            case "md5" -> md5Secret(password, role);
            case "scram-sha-256" -> ScramSecret.build(password);
            default -> throw new IllegalArgumentException("invalid password_encryption \"" + method + "\"");
        };
    }

    /** pg_md5_encrypt(password, role): "md5" + md5hex(password || role). */
    public static String md5Secret(String password, String role) {
        return "md5" + md5Hex(concat(password.getBytes(StandardCharsets.UTF_8), role.getBytes(StandardCharsets.UTF_8)));
    }

    /** What an md5 client sends: "md5" + md5hex(md5hex-of-secret || salt), from the stored secret. */
    public static String md5Salted(String md5Secret, byte[] salt) {
        return "md5" + md5Hex(concat(md5Secret.substring(3).getBytes(StandardCharsets.US_ASCII), salt));
    }

    /** plain_crypt_verify(): does the cleartext password match the stored secret? */
    public static boolean verifyPlain(String role, String shadow, String clientPassword) {
        return switch (type(shadow)) {
            case SCRAM_SHA_256 -> ScramSecret.parse(shadow).verifyPlain(clientPassword);
            case MD5 -> constantTimeEquals(md5Secret(clientPassword, role), shadow);
            case PLAINTEXT -> false; // PostgreSQL no longer stores cleartext passwords
        };
    }

    /** String comparison in constant time for equal lengths. */
    public static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    static String md5Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
