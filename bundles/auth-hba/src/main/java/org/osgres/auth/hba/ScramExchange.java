/*
 * ScramExchange: the server side of one SCRAM-SHA-256 (RFC 5802, RFC 7677) exchange, with
 * tls-server-end-point channel binding for SCRAM-SHA-256-PLUS (PostgreSQL: libpq/auth-scram.c).
 *
 * The client's first message gives its nonce; the server answers with the combined nonce, the
 * salt and the iteration count; the client's final message carries the channel binding and the
 * proof, which is checked against StoredKey; on success the server sends its signature. A role
 * without a usable secret runs the same exchange against a mock secret derived from the user
 * name and a per-server nonce, and fails at the end ("doomed"), so nothing tells a client that
 * the role is missing. Malformed messages are FATAL 08P01 with PostgreSQL's texts.
 *
 * Entry points: exchange() -- one client message in, the server's answer out.
 * See also: ScramAuthMethod -- the SASL messages around it; crypt.ScramSecret -- the secret.
 */
package org.osgres.auth.hba;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.auth.hba.crypt.ScramSecret;

public final class ScramExchange {
    public static final String MECHANISM = "SCRAM-SHA-256";
    public static final String MECHANISM_PLUS = "SCRAM-SHA-256-PLUS";
    /** PostgreSQL: SCRAM_RAW_NONCE_LEN. */
    private static final int RAW_NONCE_LENGTH = 18;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] MOCK_AUTH_NONCE = new byte[32];

    static {
        RANDOM.nextBytes(MOCK_AUTH_NONCE);
    }

    /** The outcome of one step. */
    public enum Status { CONTINUE, SUCCESS, FAILURE }

    /** One step's result: the status and the data to send (null for none). */
    public record Step(Status status, byte[] output) {
    }

    private enum State { INIT, SALT_SENT, FINISHED }

    private final String user;
    private final ScramSecret secret;
    private final boolean doomed;
    private final boolean channelBindingInUse;
    private final byte[] serverEndPoint;
    private final boolean sslInUse;
    private State state = State.INIT;
    private char cbindFlag;
    private String clientFirstMessageBare;
    private String clientNonce;
    private String serverFirstMessage;
    private String serverNonce;
    private String fixedServerNonce;

    /**
     * @param secret         the role's SCRAM secret, or null to run a doomed mock exchange
     * @param mechanism      the mechanism the client chose
     * @param serverEndPoint the tls-server-end-point data when on TLS (PLUS possible), else null
     * @param sslInUse       whether the connection is encrypted
     */
    public ScramExchange(String user, ScramSecret secret, String mechanism, byte[] serverEndPoint, boolean sslInUse) {
        this.user = user;
        this.sslInUse = sslInUse;
        this.serverEndPoint = serverEndPoint;
        if (MECHANISM_PLUS.equals(mechanism) && serverEndPoint != null) {
            channelBindingInUse = true;
        } else if (MECHANISM.equals(mechanism)) {
            channelBindingInUse = false;
        } else {
            throw PgException.fatal(SqlState.PROTOCOL_VIOLATION,
                    "client selected an invalid SASL authentication mechanism");
        }
        if (secret == null) {
            this.secret = mockSecret(user);
            this.doomed = true;
        } else {
            this.secret = secret;
            this.doomed = false;
        }
    }

    /** scram_exchange(). */
    public Step exchange(byte[] input) {
        if (input == null) {
            // the client sent no initial response: ask for it with an empty challenge
            return new Step(Status.CONTINUE, new byte[0]);
        }
        if (input.length == 0) {
            throw malformed("The message is empty.");
        }
        String text = new String(input, StandardCharsets.UTF_8);
        if (text.indexOf('\0') >= 0) {
            throw malformed("Message length does not match input length.");
        }
        switch (state) {
            case INIT -> {
                readClientFirstMessage(text);
                serverFirstMessage = buildServerFirstMessage();
                state = State.SALT_SENT;
                return new Step(Status.CONTINUE, serverFirstMessage.getBytes(StandardCharsets.UTF_8));
            }
            case SALT_SENT -> {
                state = State.FINISHED;
                Final f = readClientFinalMessage(text);
                if (!f.nonce.equals(clientNonce + serverNonce)) {
                    throw PgException.fatal(SqlState.PROTOCOL_VIOLATION, "invalid SCRAM response")
                            .withDetail("Nonce does not match.");
                }
                String authMessage = clientFirstMessageBare + "," + serverFirstMessage + "," + f.withoutProof;
                if (!verifyClientProof(authMessage, f.proof) || doomed) {
                    return new Step(Status.FAILURE, null);
                }
                byte[] serverSignature = ScramSecret.hmac(secret.serverKey(), authMessage.getBytes(StandardCharsets.UTF_8));
                String serverFinal = "v=" + Base64.getEncoder().encodeToString(serverSignature);
                return new Step(Status.SUCCESS, serverFinal.getBytes(StandardCharsets.UTF_8));
            }
            default -> throw malformed("The message is empty.");
        }
    }

    /** read_client_first_message(). */
    private void readClientFirstMessage(String input) {
        Cursor c = new Cursor(input);
        char flag = c.peek();
        switch (flag) {
            case 'n' -> {
                if (channelBindingInUse) {
                    throw malformed("The client selected SCRAM-SHA-256-PLUS, but the SCRAM message does not include"
                            + " channel binding data.");
                }
                c.pos++;
                c.expectComma();
            }
            case 'y' -> {
                if (channelBindingInUse) {
                    throw malformed("The client selected SCRAM-SHA-256-PLUS, but the SCRAM message does not include"
                            + " channel binding data.");
                }
                if (sslInUse && serverEndPoint != null) {
                    throw PgException.fatal(SqlState.PROTOCOL_VIOLATION, "SCRAM channel binding negotiation error")
                            .withDetail("The client supports SCRAM channel binding but thinks the server does not.  "
                                    + "However, this server does support channel binding.");
                }
                c.pos++;
                c.expectComma();
            }
            case 'p' -> {
                if (!channelBindingInUse) {
                    throw malformed("The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message"
                            + " includes channel binding data.");
                }
                String cbname = c.attribute('p');
                if (!cbname.equals("tls-server-end-point")) {
                    throw PgException.fatal(SqlState.PROTOCOL_VIOLATION,
                            "unsupported SCRAM channel-binding type \"" + cbname + "\"");
                }
            }
            default -> throw malformed("Unexpected channel-binding flag \"" + printable(flag) + "\".");
        }
        cbindFlag = flag;
        if (c.peek() == 'a') {
            throw PgException.fatal(SqlState.FEATURE_NOT_SUPPORTED,
                    "client uses authorization identity, but it is not supported");
        }
        if (c.peek() != ',') {
            throw malformed("Unexpected attribute \"" + printable(c.peek()) + "\" in client-first-message.");
        }
        c.pos++;
        clientFirstMessageBare = input.substring(c.pos);
        if (c.peek() == 'm') {
            throw PgException.fatal(SqlState.FEATURE_NOT_SUPPORTED,
                    "client requires an unsupported SCRAM extension");
        }
        c.attribute('n'); // the user name: PostgreSQL uses the startup packet's
        clientNonce = c.attribute('r');
        for (char ch : clientNonce.toCharArray()) {
            if (ch < 0x21 || ch > 0x7E || ch == ',') {
                throw malformed("Client nonce contains invalid characters.");
            }
        }
    }

    /** For tests: the server nonce to use instead of a random one (RFC 7677's test vector). */
    void useServerNonce(String nonce) {
        fixedServerNonce = nonce;
    }

    private String buildServerFirstMessage() {
        byte[] raw = new byte[RAW_NONCE_LENGTH];
        RANDOM.nextBytes(raw);
        serverNonce = fixedServerNonce != null ? fixedServerNonce : Base64.getEncoder().encodeToString(raw);
        return "r=" + clientNonce + serverNonce + ",s=" + Base64.getEncoder().encodeToString(secret.salt()) + ",i="
                + secret.iterations();
    }

    private record Final(String nonce, byte[] proof, String withoutProof) {
    }

    /** read_client_final_message(). */
    private Final readClientFinalMessage(String input) {
        Cursor c = new Cursor(input);
        String channelBinding = c.attribute('c');
        if (channelBindingInUse) {
            byte[] header = "p=tls-server-end-point,,".getBytes(StandardCharsets.US_ASCII);
            byte[] all = Arrays.copyOf(header, header.length + serverEndPoint.length);
            System.arraycopy(serverEndPoint, 0, all, header.length, serverEndPoint.length);
            byte[] expected = Base64.getEncoder().encode(all);
            if (!MessageDigest.isEqual(expected, channelBinding.getBytes(StandardCharsets.US_ASCII))) {
                throw PgException.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, "SCRAM channel binding check failed");
            }
        } else if (!(channelBinding.equals("biws") || (channelBinding.equals("eSws") && cbindFlag == 'y'))) {
            throw PgException.fatal(SqlState.PROTOCOL_VIOLATION,
                    "unexpected SCRAM channel-binding attribute in client-final-message");
        }
        String nonce = c.attribute('r');
        int proofStart;
        String proof;
        while (true) {
            proofStart = c.pos - 1;
            char name = c.peek();
            String value = c.attributeAny();
            if (name == 'p') {
                proof = value;
                break;
            }
        }
        byte[] proofBytes;
        try {
            proofBytes = Base64.getDecoder().decode(proof);
        } catch (IllegalArgumentException e) {
            throw malformed("Malformed proof in client-final-message.");
        }
        if (proofBytes.length != 32) {
            throw malformed("Malformed proof in client-final-message.");
        }
        if (c.pos < input.length()) {
            throw malformed("Garbage found at the end of client-final-message.");
        }
        return new Final(nonce, proofBytes, input.substring(0, proofStart));
    }

    /** verify_client_proof(): H(proof XOR HMAC(StoredKey, AuthMessage)) == StoredKey. */
    private boolean verifyClientProof(String authMessage, byte[] proof) {
        byte[] clientSignature = ScramSecret.hmac(secret.storedKey(), authMessage.getBytes(StandardCharsets.UTF_8));
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        return MessageDigest.isEqual(ScramSecret.sha256(clientKey), secret.storedKey());
    }

    /** mock_scram_secret(): a stable fake secret for a role that has none. */
    static ScramSecret mockSecret(String user) {
        byte[] u = user.getBytes(StandardCharsets.UTF_8);
        byte[] in = Arrays.copyOf(u, u.length + MOCK_AUTH_NONCE.length);
        System.arraycopy(MOCK_AUTH_NONCE, 0, in, u.length, MOCK_AUTH_NONCE.length);
        byte[] salt = Arrays.copyOf(ScramSecret.sha256(in), ScramSecret.DEFAULT_SALT_LENGTH);
        return new ScramSecret(ScramSecret.DEFAULT_ITERATIONS, salt, new byte[32], new byte[32]);
    }

    static PgException malformed(String detail) {
        return PgException.fatal(SqlState.PROTOCOL_VIOLATION, "malformed SCRAM message").withDetail(detail);
    }

    private static String printable(char c) {
        return c >= 0x21 && c <= 0x7E ? Character.toString(c) : String.format("0x%02x", (int) c);
    }

    /** A read position in a SCRAM message (read_attr_value(), read_any_attr()). */
    private static final class Cursor {
        private final String s;
        private int pos;

        Cursor(String s) {
            this.s = s;
        }

        char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        void expectComma() {
            if (peek() != ',') {
                throw malformed("Comma expected, but found character \"" + printable(peek()) + "\".");
            }
            pos++;
        }

        /** attr=value up to the next comma; the comma is consumed. */
        String attribute(char attr) {
            if (peek() != attr) {
                throw malformed("Expected attribute \"" + attr + "\" but found \"" + printable(peek()) + "\".");
            }
            return valueAfterName(attr);
        }

        String attributeAny() {
            char attr = peek();
            if (!((attr >= 'A' && attr <= 'Z') || (attr >= 'a' && attr <= 'z'))) {
                throw malformed("Attribute expected, but found invalid character \"" + printable(attr) + "\".");
            }
            return valueAfterName(attr);
        }

        private String valueAfterName(char attr) {
            pos++;
            if (peek() != '=') {
                throw malformed("Expected character \"=\" for attribute \"" + attr + "\".");
            }
            pos++;
            int end = s.indexOf(',', pos);
            String v;
            if (end < 0) {
                v = s.substring(pos);
                pos = s.length();
            } else {
                v = s.substring(pos, end);
                pos = end + 1;
            }
            return v;
        }
    }
}
