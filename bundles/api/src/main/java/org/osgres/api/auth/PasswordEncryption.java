package org.osgres.api.auth;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Turns a password given in CREATE/ALTER ROLE ... PASSWORD into what pg_authid stores
 * (PostgreSQL: encrypt_password in libpq/crypt.c).
 */
@ProviderType
public interface PasswordEncryption {

    /**
     * The verifier to store: a password that already is an md5 or SCRAM-SHA-256 verifier is kept as
     * it is (psql's \password sends one); otherwise it is hashed with the method password_encryption
     * names ("scram-sha-256" or "md5").
     *
     * @param roleName the role, which md5 uses as its salt
     * @param method   the session's password_encryption
     */
    String encrypt(String roleName, String password, String method);
}
