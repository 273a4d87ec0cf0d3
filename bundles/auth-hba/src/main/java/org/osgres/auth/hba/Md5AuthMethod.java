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
 * The md5 method: AuthenticationMD5Password with a random 4-byte salt for a role with an md5
 * secret, SCRAM for a role with a SCRAM secret (PostgreSQL: uaMD5 in CheckPWChallengeAuth()).
 */
@Component(service = AuthMethod.class, property = AuthMethod.METHOD_PROPERTY + "=md5")
public final class Md5AuthMethod implements AuthMethod {
    private final PasswordChallenge challenge;

    @Activate
    public Md5AuthMethod(@Reference RoleCatalog roles, @Reference Settings settings) {
        this(new PasswordChallenge(roles, () -> settings.get("password_encryption"), Clock.systemUTC()));
    }

    public Md5AuthMethod(PasswordChallenge challenge) {
        this.challenge = challenge;
    }

    @Override
    public void authenticate(AuthRequest request, Map<String, String> options, AuthExchange exchange)
            throws IOException {
        challenge.authenticate(request, true, exchange);
    }
}
