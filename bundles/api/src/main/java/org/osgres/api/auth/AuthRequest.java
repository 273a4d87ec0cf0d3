package org.osgres.api.auth;

import org.osgres.api.session.ClientAddress;

/** Who wants to connect, to what, and from where: what pg_hba.conf lines are matched against. */
public record AuthRequest(String user, String database, ClientAddress origin) {
}
