package org.osgres.auth.hba;

import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgres.api.auth.AuthExchange;
import org.osgres.api.auth.AuthMethod;
import org.osgres.api.auth.AuthRequest;

/** The trust method: the client may connect, no questions asked (PostgreSQL: uaTrust in auth.c). */
@Component(service = AuthMethod.class, property = AuthMethod.METHOD_PROPERTY + "=trust")
public final class TrustAuthMethod implements AuthMethod {

    @Override
    public void authenticate(AuthRequest request, Map<String, String> options, AuthExchange exchange) {
        // trust: nothing to check
    }
}
