package org.osgres.postmaster;

import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLException;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.protocol.FrontendMessage;
import org.osgres.api.protocol.MessageBuilder;
import org.osgres.postmaster.tls.SslServerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what a client sends before authentication (PostgreSQL: ProcessStartupPacket in
 * postmaster.c): SSLRequest (answered 'S' and followed by the TLS handshake when ssl = on, else
 * 'N'), GSSENCRequest (always 'N'), CancelRequest, and the StartupMessage itself, which after a
 * handshake is read inside TLS.
 *
 * <p>A packet with a bad length, or a client that hangs up, is a communication error: it is
 * logged and the connection is closed without a reply, as PostgreSQL does. A protocol version the
 * server does not speak gets a FATAL ErrorResponse.
 */
final class StartupPacketReader {
    private static final Logger LOG = LoggerFactory.getLogger(StartupPacketReader.class);
    private static final byte ENCRYPTION_REFUSED = 'N';
    private static final byte SSL_ACCEPTED = 'S';
    private static final char NEGOTIATE_PROTOCOL_VERSION = 'v';
    private static final String PROTOCOL_OPTION_PREFIX = "_pq_.";

    /** What the client asked for. */
    sealed interface Request permits Startup, Cancel, Closed {
    }

    /** A StartupMessage: the protocol version and its name/value pairs. */
    record Startup(int version, Map<String, String> parameters) implements Request {
    }

    /** A CancelRequest for the session with this pid and secret. */
    record Cancel(int pid, int secret) implements Request {
    }

    /** The client went away, or sent something that is answered by closing. */
    record Closed() implements Request {
    }

    private final SocketClientChannel channel;

    StartupPacketReader(SocketClientChannel channel) {
        this.channel = channel;
    }

    Request read() throws IOException {
        boolean sslAnswered = false;
        boolean gssAnswered = false;
        while (true) {
            int length;
            try {
                length = channel.readInt32();
            } catch (EOFException e) {
                return new Closed(); // PostgreSQL logs nothing for a connection that sends nothing
            }
            if (length < StartupCodes.MIN_STARTUP_PACKET_LENGTH || length > StartupCodes.MAX_STARTUP_PACKET_LENGTH) {
                LOG.info("invalid length of startup packet");
                return new Closed();
            }
            FrontendMessage packet;
            try {
                packet = new FrontendMessage('\0', channel.readBytes(length - 4));
            } catch (EOFException e) {
                LOG.info("incomplete startup packet");
                return new Closed();
            }
            int code = packet.getInt32();
            if (code == StartupCodes.CANCEL_REQUEST_CODE) {
                if (length != StartupCodes.CANCEL_REQUEST_LENGTH) {
                    LOG.info("invalid length of startup packet");
                    return new Closed();
                }
                return new Cancel(packet.getInt32(), packet.getInt32());
            }
            if (code == StartupCodes.SSL_REQUEST_CODE || code == StartupCodes.GSSENC_REQUEST_CODE) {
                boolean ssl = code == StartupCodes.SSL_REQUEST_CODE;
                if ((ssl && sslAnswered) || (!ssl && gssAnswered)) {
                    LOG.info("unsupported frontend protocol {}.{}: server supports 3.0 to 3.0",
                            StartupCodes.major(code), StartupCodes.minor(code));
                    return new Closed();
                }
                SslServerContext tls = ssl ? channel.tlsContext() : null;
                channel.writeBytes(new byte[] {tls != null ? SSL_ACCEPTED : ENCRYPTION_REFUSED}, 0, 1);
                channel.flush();
                sslAnswered |= ssl;
                gssAnswered |= !ssl;
                if (tls != null) {
                    if (!startTls(tls)) {
                        return new Closed();
                    }
                    gssAnswered = true; // after TLS, neither may be asked for again
                }
                continue;
            }
            Startup startup = startup(code, packet);
            return startup == null ? new Closed() : startup;
        }
    }

    /**
     * The TLS handshake after 'S' (PostgreSQL: secure_open_server). Bytes that came before it
     * were not encrypted: after the handshake they get FATAL 08P01, inside TLS, as PostgreSQL 15
     * sends it.
     *
     * @return false when the handshake failed (logged; the connection is just closed)
     */
    private boolean startTls(SslServerContext tls) throws IOException {
        boolean unencryptedData = channel.hasBufferedInput();
        try {
            channel.startTls(tls);
        } catch (SSLException e) {
            LOG.info("could not accept SSL connection: {}", e.getMessage());
            return false;
        } catch (EOFException e) {
            LOG.info("could not accept SSL connection: EOF detected");
            return false;
        }
        if (unencryptedData) {
            throw PgException.fatal(SqlState.PROTOCOL_VIOLATION, "received unencrypted data after SSL request")
                    .withDetail("This could be either a client-software bug or evidence of an attempted "
                            + "man-in-the-middle attack.");
        }
        return true;
    }

    /** The StartupMessage, or null when the client was answered in the pre-3.0 format and must be dropped. */
    private Startup startup(int version, FrontendMessage packet) throws IOException {
        int major = StartupCodes.major(version);
        if (major != StartupCodes.major(StartupCodes.PROTOCOL_3_0)) {
            String message = String.format("unsupported frontend protocol %d.%d: server supports 3.0 to 3.%d",
                    major, StartupCodes.minor(version), StartupCodes.PROTOCOL_LATEST_MINOR);
            if (major < StartupCodes.major(StartupCodes.PROTOCOL_3_0)) {
                // a pre-3.0 client reads the old error format: 'E', then the text, NUL-terminated
                LOG.info("FATAL:  {}", message);
                byte[] text = ("FATAL:  " + message + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                byte[] reply = new byte[text.length + 2];
                reply[0] = 'E';
                System.arraycopy(text, 0, reply, 1, text.length);
                channel.writeBytes(reply, 0, reply.length);
                channel.flush();
                return null;
            }
            throw PgException.fatal(SqlState.FEATURE_NOT_SUPPORTED, message);
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        List<String> unrecognizedOptions = new ArrayList<>();
        while (true) {
            if (packet.remaining() == 0) {
                throw PgException.fatal(SqlState.PROTOCOL_VIOLATION,
                        "invalid startup packet layout: expected terminator as last byte");
            }
            String name = packet.getCString();
            if (name.isEmpty()) {
                break;
            }
            String value = packet.getCString();
            if (name.startsWith(PROTOCOL_OPTION_PREFIX)) {
                unrecognizedOptions.add(name);
            } else {
                parameters.put(name, value);
            }
        }
        if (packet.remaining() != 0) {
            throw PgException.fatal(SqlState.PROTOCOL_VIOLATION,
                    "invalid startup packet layout: expected terminator as last byte");
        }
        String user = parameters.get("user");
        if (user == null || user.isEmpty()) {
            throw PgException.fatal(SqlState.INVALID_AUTHORIZATION_SPECIFICATION,
                    "no PostgreSQL user name specified in startup packet");
        }
        if (StartupCodes.minor(version) > StartupCodes.PROTOCOL_LATEST_MINOR || !unrecognizedOptions.isEmpty()) {
            negotiateProtocolVersion(unrecognizedOptions);
        }
        return new Startup(version, parameters);
    }

    /** Tells a client that asked for 3.x (x > 0) or for _pq_ options what this server speaks. */
    private void negotiateProtocolVersion(List<String> unrecognizedOptions) throws IOException {
        MessageBuilder m = new MessageBuilder();
        m.begin(NEGOTIATE_PROTOCOL_VERSION)
                .putInt32(StartupCodes.PROTOCOL_3_0 | StartupCodes.PROTOCOL_LATEST_MINOR)
                .putInt32(unrecognizedOptions.size());
        for (String option : unrecognizedOptions) {
            m.putCString(option);
        }
        m.end();
        channel.write(m);
        channel.flush();
    }
}
