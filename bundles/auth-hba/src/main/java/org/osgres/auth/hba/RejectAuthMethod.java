package org.osgres.auth.hba;

import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgres.api.auth.AuthExchange;
import org.osgres.api.auth.AuthMethod;
import org.osgres.api.auth.AuthRequest;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

/** The reject method: an explicit reject line (PostgreSQL: uaReject in auth.c). */
@Component(service = AuthMethod.class, property = AuthMethod.METHOD_PROPERTY + "=reject")
public final class RejectAuthMethod implements AuthMethod {

    @Override
    public void authenticate(AuthRequest request, Map<String, String> options, AuthExchange exchange) {
        throw PgException.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                "pg_hba.conf rejects connection for host \"" + request.origin().hostForMessages() + "\", user \""
                        + request.user() + "\", database \"" + request.database() + "\", "
                        + HbaAuthentication.encryptionState(request));
    }
}
