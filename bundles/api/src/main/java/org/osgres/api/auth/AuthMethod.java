package org.osgres.api.auth;

import java.io.IOException;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An authentication method that pg_hba.conf lines name (trust, reject, scram-sha-256, ldap, ...).
 * Register an implementation as a service with {@link #METHOD_PROPERTY} set to that name; the
 * built-in methods are registered the same way.
 */
@ConsumerType
public interface AuthMethod {

    /** Service property: the method name as pg_hba.conf spells it. */
    String METHOD_PROPERTY = "osgres.auth.method";

    /**
     * Authenticates the client, talking to it through the exchange if the method needs to.
     * Returns normally when the client may connect.
     *
     * @param options the options written after the method on the matching pg_hba.conf line
     * @throws org.osgres.api.error.PgException FATAL 28000 or 28P01 when it may not
     */
    void authenticate(AuthRequest request, Map<String, String> options, AuthExchange exchange) throws IOException;
}
