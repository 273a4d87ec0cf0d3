/*
 * RolePasswords: the stored secret a password method checks against, and why there is none
 * (PostgreSQL: get_role_password() in libpq/crypt.c), plus the common failure of every password
 * method: FATAL 28P01 "password authentication failed for user" with the reason in the server
 * log only, so a client cannot tell a missing role from a wrong password.
 *
 * Entry points: lookup(), failed(), readPasswordPacket().
 */
package org.osgres.auth.hba;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Optional;

import org.osgres.api.auth.AuthExchange;
import org.osgres.api.auth.Role;
import org.osgres.api.auth.RoleCatalog;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.protocol.FrontendMessage;

public final class RolePasswords {

    /** A role's usable secret, or null with the log detail saying why. */
    public record Lookup(String secret, String logDetail) {
    }

    private RolePasswords() {
    }

    /** get_role_password(). */
    public static Lookup lookup(RoleCatalog catalog, String user, Clock clock) {
        Optional<Role> role = catalog.find(user);
        if (role.isEmpty()) {
            return new Lookup(null, "Role \"" + user + "\" does not exist.");
        }
        Role r = role.get();
        if (r.password() == null) {
            return new Lookup(null, "User \"" + user + "\" has no password assigned.");
        }
        OffsetDateTime until = r.validUntil();
        if (until != null && until.toInstant().isBefore(clock.instant())) {
            return new Lookup(null, "User \"" + user + "\" has an expired password.");
        }
        return new Lookup(r.password(), null);
    }

    /** auth_failed() for the password methods: the same words whatever went wrong. */
    public static PgException failed(String user, String logDetail) {
        return PgException.fatal(SqlState.INVALID_PASSWORD,
                "password authentication failed for user \"" + user + "\"").withLogDetail(logDetail);
    }

    /**
     * recv_password_packet(): the password in a PasswordMessage. A client that hangs up instead
     * (psql does, to ask the user for a password) ends the connection quietly.
     */
    public static String readPasswordPacket(AuthExchange exchange) throws IOException {
        FrontendMessage m = exchange.readResponse();
        if (m == null) {
            throw new EOFException("client closed the connection when asked for a password");
        }
        byte[] all = m.getBytes(m.remaining());
        int nul = indexOfNul(all);
        if (nul != all.length - 1) {
            throw PgException.fatal(SqlState.PROTOCOL_VIOLATION, "invalid password packet size");
        }
        if (nul == 0) {
            // libpq never sends one; other clients must not get in with it where an external
            // system checks the password
            throw PgException.fatal(SqlState.INVALID_PASSWORD, "empty password returned by client");
        }
        return new String(all, 0, nul, StandardCharsets.UTF_8);
    }

    private static int indexOfNul(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
