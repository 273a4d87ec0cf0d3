package org.osgres.postmaster;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.protocol.ClientChannel;
import org.osgres.api.protocol.FrontendMessage;
import org.osgres.api.protocol.MessageBuilder;
import org.osgres.api.session.ClientAddress;
import org.osgres.postmaster.tls.ServerTls;
import org.osgres.postmaster.tls.SslServerContext;
import org.osgres.postmaster.tls.TlsTransport;

/**
 * One client socket, TCP or Unix-domain (PostgreSQL: libpq/pqcomm.c). Reads are buffered;
 * writes are queued until flush. A message's payload buffer grows as bytes arrive, so a length
 * word that claims a gigabyte costs nothing until the bytes are really sent.
 *
 * <p>Writes are serialized, so the postmaster may send a FATAL on a session's behalf.
 *
 * <p>After an SSLRequest answered 'S', startTls() runs the handshake and every byte after it
 * goes through the TLS session (PostgreSQL: secure_read/secure_write in libpq/be-secure.c).
 */
final class SocketClientChannel implements ClientChannel {
    /** PostgreSQL: PQ_LARGE_MESSAGE_LIMIT; no message may be longer. */
    static final int MAX_MESSAGE_LENGTH = 0x3fffffff;
    private static final int CHUNK = 64 * 1024;

    private final SocketChannel socket;
    private final ByteBuffer in = ByteBuffer.allocate(8192).flip();
    private final Object writeLock = new Object();
    private ByteBuffer out = ByteBuffer.allocate(8192);
    private volatile boolean closed;
    private final ServerTls serverTls;
    private volatile TlsTransport tls;
    private volatile ClientAddress origin;

    SocketClientChannel(SocketChannel socket) {
        this(socket, null, null);
    }

    /**
     * @param origin    where the connection comes from (before any TLS)
     * @param serverTls the server's TLS context, or null when this channel never offers TLS
     */
    SocketClientChannel(SocketChannel socket, ClientAddress origin, ServerTls serverTls) {
        this.socket = socket;
        this.origin = origin;
        this.serverTls = serverTls;
    }

    /** The TLS context for an SSLRequest now, or null: answer 'N'. */
    SslServerContext tlsContext() {
        return serverTls == null ? null : serverTls.current();
    }

    /**
     * Drops the bytes buffered so far (received before the handshake, so not encrypted) and runs
     * the TLS handshake; after it every read and write is encrypted and origin() carries the
     * session's TlsInfo.
     */
    void startTls(SslServerContext context) throws IOException {
        in.position(in.limit());
        TlsTransport transport = new TlsTransport(socket, context);
        transport.handshake();
        tls = transport;
        if (origin != null) {
            origin = origin.withTls(transport.info());
        }
    }

    /** Where the connection comes from, with its TLS parameters once the handshake is done. */
    ClientAddress origin() {
        return origin;
    }

    SocketChannel socket() {
        return socket;
    }

    @Override
    public FrontendMessage readMessage() throws IOException {
        int type = readByteOrEof();
        if (type < 0) {
            return null;
        }
        int length;
        try {
            length = readInt32();
        } catch (EOFException e) {
            throw new PgException(SqlState.PROTOCOL_VIOLATION, "unexpected EOF within message length word");
        }
        if (length < 4 || length > MAX_MESSAGE_LENGTH) {
            throw new PgException(SqlState.PROTOCOL_VIOLATION, "invalid message length");
        }
        try {
            return new FrontendMessage((char) type, readBytes(length - 4));
        } catch (EOFException e) {
            throw new PgException(SqlState.PROTOCOL_VIOLATION, "incomplete message from client");
        }
    }

    /** Reads one unsigned byte, or -1 at end of stream. */
    int readByteOrEof() throws IOException {
        if (!in.hasRemaining() && !fill()) {
            return -1;
        }
        return in.get() & 0xff;
    }

    int readInt32() throws IOException {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int b = readByteOrEof();
            if (b < 0) {
                throw new EOFException();
            }
            v = (v << 8) | b;
        }
        return v;
    }

    /** Reads exactly n bytes; the buffer grows with what arrives, never ahead of it. */
    byte[] readBytes(int n) throws IOException {
        byte[] buf = new byte[Math.min(n, CHUNK)];
        int got = 0;
        while (got < n) {
            if (!in.hasRemaining() && !fill()) {
                throw new EOFException();
            }
            if (got == buf.length) {
                buf = Arrays.copyOf(buf, (int) Math.min(n, (long) buf.length * 2));
            }
            int k = Math.min(in.remaining(), buf.length - got);
            in.get(buf, got, k);
            got += k;
        }
        return buf;
    }

    /** True when bytes the client sent are already buffered (PostgreSQL: pq_buffer_has_data). */
    boolean hasBufferedInput() {
        return in.hasRemaining();
    }

    private boolean fill() throws IOException {
        if (closed) {
            return false;
        }
        in.clear();
        int n;
        try {
            TlsTransport t = tls;
            n = t != null ? t.read(in) : socket.read(in);
        } catch (IOException e) {
            n = -1; // a reset is an end of stream like any other
        } finally {
            in.flip();
        }
        return n > 0 || (n == 0 && fill());
    }

    @Override
    public void write(MessageBuilder messages) throws IOException {
        writeBytes(messages.array(), 0, messages.size());
        messages.reset();
    }

    void writeBytes(byte[] b, int off, int len) throws IOException {
        synchronized (writeLock) {
            if (out.remaining() < len) {
                flushLocked();
                if (out.capacity() < len) {
                    socketWrite(ByteBuffer.wrap(b, off, len));
                    return;
                }
            }
            out.put(b, off, len);
        }
    }

    @Override
    public void flush() throws IOException {
        synchronized (writeLock) {
            flushLocked();
        }
    }

    private void flushLocked() throws IOException {
        out.flip();
        try {
            socketWrite(out);
        } finally {
            out.clear();
        }
    }

    private void socketWrite(ByteBuffer b) throws IOException {
        TlsTransport t = tls;
        if (t != null) {
            t.write(b);
            return;
        }
        while (b.hasRemaining()) {
            socket.write(b);
        }
    }

    /** Makes a blocked read return end-of-stream, so the session notices it must end. */
    void shutdownInput() {
        try {
            socket.shutdownInput();
        } catch (IOException | RuntimeException e) {
            close();
        }
    }

    @Override
    public void close() {
        closed = true;
        TlsTransport t = tls;
        if (t != null) {
            t.close();
        }
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do with a socket that will not close
        }
    }

    boolean isClosed() {
        return closed;
    }
}
