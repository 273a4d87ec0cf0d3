/*
 * PasswordChallenge: the challenge-response password methods, md5 and scram-sha-256
 * (PostgreSQL: CheckPWChallengeAuth(), CheckMD5Auth() in libpq/auth.c, CheckSASLAuth() in
 * libpq/auth-sasl.c).
 *
 * An md5 line uses MD5 only for a role whose secret is md5; a role with a SCRAM secret goes
 * through SCRAM, as PostgreSQL does. A role with no usable secret (missing, no password,
 * expired) is answered with the exchange password_encryption would use and then refused, so
 * the client cannot tell it from a wrong password.
 *
 * Entry points: authenticate().
 * See also: ScramExchange -- the SCRAM messages.
 */
package org.osgres.auth.hba;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Supplier;

import org.osgres.api.auth.AuthExchange;
import org.osgres.api.auth.AuthRequest;
import org.osgres.api.auth.RoleCatalog;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.protocol.FrontendMessage;
import org.osgres.api.session.TlsInfo;
import org.osgres.auth.hba.crypt.PasswordHashes;
import org.osgres.auth.hba.crypt.ScramSecret;

public final class PasswordChallenge {
    /** PostgreSQL: AUTH_REQ_MD5, AUTH_REQ_SASL, AUTH_REQ_SASL_CONT, AUTH_REQ_SASL_FIN. */
    static final int AUTH_REQ_MD5 = 5;
    static final int AUTH_REQ_SASL = 10;
    static final int AUTH_REQ_SASL_CONT = 11;
    static final int AUTH_REQ_SASL_FIN = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final RoleCatalog roles;
    private final Supplier<String> passwordEncryption;
    private final Clock clock;

    /**
     * @param passwordEncryption the server's password_encryption, which picks the exchange for a
     *                           role without a secret
     */
    public PasswordChallenge(RoleCatalog roles, Supplier<String> passwordEncryption, Clock clock) {
        this.roles = roles;
        this.passwordEncryption = passwordEncryption;
        this.clock = clock;
    }

    /** CheckPWChallengeAuth(). */
    public void authenticate(AuthRequest request, boolean md5Line, AuthExchange exchange) throws IOException {
        RolePasswords.Lookup stored = RolePasswords.lookup(roles, request.user(), clock);
        PasswordHashes.Type type = stored.secret() != null ? PasswordHashes.type(stored.secret())
                : "md5".equals(passwordEncryption.get()) ? PasswordHashes.Type.MD5 : PasswordHashes.Type.SCRAM_SHA_256;
        boolean ok;
        if (md5Line && type == PasswordHashes.Type.MD5) {
            ok = md5(request, stored, exchange);
        } else {
            ok = scram(request, type == PasswordHashes.Type.SCRAM_SHA_256 ? stored.secret() : null, exchange);
        }
        if (!ok) {
            throw RolePasswords.failed(request.user(), stored.logDetail());
        }
    }

    /** CheckMD5Auth(). A wrong password sets the log detail PostgreSQL logs. */
    private boolean md5(AuthRequest request, RolePasswords.Lookup stored, AuthExchange exchange) throws IOException {
        byte[] salt = new byte[4];
        RANDOM.nextBytes(salt);
        exchange.sendRequest(AUTH_REQ_MD5, salt);
        String answer = RolePasswords.readPasswordPacket(exchange);
        if (stored.secret() == null) {
            return false;
        }
        if (!PasswordHashes.constantTimeEquals(PasswordHashes.md5Salted(stored.secret(), salt), answer)) {
            throw RolePasswords.failed(request.user(), "Password does not match for user \"" + request.user() + "\".");
        }
        return true;
    }

    /** CheckSASLAuth() with the SCRAM mechanism; secret null runs a doomed exchange. */
    private boolean scram(AuthRequest request, String secret, AuthExchange exchange) throws IOException {
        TlsInfo tls = request.origin().tls();
        byte[] endPoint = tls == null ? null : tls.serverEndPoint();
        String mechanisms = (endPoint != null ? ScramExchange.MECHANISM_PLUS + "\0" : "") + ScramExchange.MECHANISM
                + "\0\0";
        exchange.sendRequest(AUTH_REQ_SASL, mechanisms.getBytes(StandardCharsets.US_ASCII));
        ScramExchange scram = null;
        ScramSecret parsed = secret == null ? null : ScramSecret.parse(secret);
        while (true) {
            FrontendMessage m = exchange.readResponse();
            if (m == null) {
                throw new EOFException("client closed the connection during SASL authentication");
            }
            byte[] input;
            if (scram == null) {
                String mechanism = m.getCString();
                int length = m.getInt32();
                input = length == -1 ? null : m.getBytes(length);
                m.end();
                scram = new ScramExchange(request.user(), parsed, mechanism, endPoint, tls != null);
            } else {
                input = m.getBytes(m.remaining());
            }
            ScramExchange.Step step = scram.exchange(input);
            switch (step.status()) {
                case CONTINUE -> exchange.sendRequest(AUTH_REQ_SASL_CONT, step.output());
                case SUCCESS -> {
                    exchange.sendRequest(AUTH_REQ_SASL_FIN, step.output());
                    return true;
                }
                case FAILURE -> {
                    return false;
                }
                default -> throw PgException.fatal(SqlState.INTERNAL_ERROR, "unexpected SCRAM state");
            }
        }
    }
}
