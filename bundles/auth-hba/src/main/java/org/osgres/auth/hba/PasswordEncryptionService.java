package org.osgres.auth.hba;

import org.osgi.service.component.annotations.Component;
import org.osgres.api.auth.PasswordEncryption;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.auth.hba.crypt.PasswordHashes;

/**
 * PasswordEncryption for CREATE/ALTER ROLE ... PASSWORD (PostgreSQL: encrypt_password() in
 * libpq/crypt.c): SCRAM-SHA-256 with 4096 iterations and a random 16-byte salt, or md5; a
 * secret already hashed is stored as it is.
 */
@Component(service = PasswordEncryption.class)
public final class PasswordEncryptionService implements PasswordEncryption {

    @Override
    public String encrypt(String roleName, String password, String method) {
        if (!"md5".equals(method) && !"scram-sha-256".equals(method)) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE,
                    "invalid value for parameter \"password_encryption\": \"" + method + "\"");
        }
        return PasswordHashes.encrypt(roleName, password, method);
    }
}
