package org.osgres.auth.hba;

import java.io.IOException;
import java.time.Clock;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.auth.AuthExchange;
import org.osgres.api.auth.AuthMethod;
import org.osgres.api.auth.AuthRequest;
import org.osgres.api.auth.RoleCatalog;
import org.osgres.auth.hba.crypt.PasswordHashes;

/**
 * The password method: the client sends its password in clear (AuthenticationCleartextPassword),
 * checked against the md5 or SCRAM secret (PostgreSQL: CheckPasswordAuth() in libpq/auth.c,
 * plain_crypt_verify() in crypt.c).
 */
@Component(service = AuthMethod.class, property = AuthMethod.METHOD_PROPERTY + "=password")
public final class PasswordAuthMethod implements AuthMethod {
    /** PostgreSQL: AUTH_REQ_PASSWORD. */
    static final int AUTH_REQ_PASSWORD = 3;

    private final RoleCatalog roles;
    private final Clock clock;

    @Activate
    public PasswordAuthMethod(@Reference RoleCatalog roles) {
        this(roles, Clock.systemUTC());
    }

    public PasswordAuthMethod(RoleCatalog roles, Clock clock) {
        this.roles = roles;
        this.clock = clock;
    }

    @Override
    public void authenticate(AuthRequest request, Map<String, String> options, AuthExchange exchange)
            throws IOException {
        exchange.sendRequest(AUTH_REQ_PASSWORD, new byte[0]);
        String password = RolePasswords.readPasswordPacket(exchange);
        RolePasswords.Lookup stored = RolePasswords.lookup(roles, request.user(), clock);
        if (stored.secret() == null) {
            throw RolePasswords.failed(request.user(), stored.logDetail());
        }
        if (!PasswordHashes.verifyPlain(request.user(), stored.secret(), password)) {
            throw RolePasswords.failed(request.user(), "Password does not match for user \"" + request.user() + "\".");
        }
    }
}
