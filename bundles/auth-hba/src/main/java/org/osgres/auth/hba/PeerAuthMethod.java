package org.osgres.auth.hba;

import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.auth.AuthExchange;
import org.osgres.api.auth.AuthMethod;
import org.osgres.api.auth.AuthRequest;
import org.osgres.api.error.PgException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer method: the operating-system user at the other end of the Unix-domain socket
 * (SO_PEERCRED, ClientAddress.peerUser()) must be the role, or map to it through pg_ident.conf
 * with map= (PostgreSQL: auth_peer() in libpq/auth.c). pg_hba.conf allows peer on local lines
 * only. Failure: FATAL 28000 "Peer authentication failed for user".
 */
@Component(service = AuthMethod.class, property = AuthMethod.METHOD_PROPERTY + "=peer")
public final class PeerAuthMethod implements AuthMethod {
    private static final Logger LOG = LoggerFactory.getLogger(PeerAuthMethod.class);
    private final IdentFile ident;

    @Activate
    public PeerAuthMethod(@Reference IdentFile ident) {
        this.ident = ident;
    }

    @Override
    public void authenticate(AuthRequest request, Map<String, String> options, AuthExchange exchange) {
        String peer = request.origin().peerUser();
        if (peer == null) {
            LOG.info("LOG:  could not get peer credentials: Operation not supported");
            throw failed(request.user());
        }
        if (!ident.checkUsermap(options.get("map"), request.user(), peer, false)) {
            throw failed(request.user());
        }
    }

    static PgException failed(String user) {
        return HbaAuthentication.authFailed("peer", user);
    }
}
