package org.osgres.api.auth;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Decides who may connect (PostgreSQL: ClientAuthentication in auth.c): finds the first
 * pg_hba.conf line that matches the request and runs its method.
 */
@ProviderType
public interface ClientAuthentication {

    /**
     * Returns normally when the client may connect; the caller then sends AuthenticationOk.
     *
     * @throws org.osgres.api.error.PgException FATAL 28000 when no line matches or the line
     *         rejects, 28P01 when a password is wrong
     */
    void authenticate(AuthRequest request, AuthExchange exchange) throws IOException;

    /**
     * Re-reads pg_hba.conf. A file with errors changes nothing; the errors are logged.
     *
     * @return true when the new rules are in force
     */
    boolean reload();
}
