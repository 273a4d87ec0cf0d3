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
import org.osgres.api.config.Settings;

/**
 * The scram-sha-256 method: SASL with SCRAM-SHA-256, and SCRAM-SHA-256-PLUS offered over TLS
 * (PostgreSQL: uaSCRAM in CheckPWChallengeAuth(), libpq/auth-scram.c). A role whose secret is
 * md5 cannot pass it.
 */
@Component(service = AuthMethod.class, property = AuthMethod.METHOD_PROPERTY + "=scram-sha-256")
public final class ScramAuthMethod implements AuthMethod {
    private final PasswordChallenge challenge;

    @Activate
    public ScramAuthMethod(@Reference RoleCatalog roles, @Reference Settings settings) {
        this(new PasswordChallenge(roles, () -> settings.get("password_encryption"), Clock.systemUTC()));
    }

    public ScramAuthMethod(PasswordChallenge challenge) {
        this.challenge = challenge;
    }

    @Override
    public void authenticate(AuthRequest request, Map<String, String> options, AuthExchange exchange)
            throws IOException {
        challenge.authenticate(request, false, exchange);
    }
}
