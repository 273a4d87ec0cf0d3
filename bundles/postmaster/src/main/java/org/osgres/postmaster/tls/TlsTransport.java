/*
 * TlsTransport: one connection's TLS session, an SSLEngine over the blocking SocketChannel
 * (PostgreSQL: be_tls_open_server, be_tls_read, be_tls_write and be_tls_close in
 * libpq/be-secure-openssl.c).
 *
 * handshake() runs the server side of the handshake on the connection's thread; read() and
 * write() then move application bytes. Reads and writes may come from different threads (the
 * postmaster writes a FATAL on a session's behalf): unwrap runs on the reading thread, every wrap
 * and every socket write under one lock. A TLS 1.2 renegotiation that the client starts is
 * refused by ending the connection (OpenSSL, as PostgreSQL sets it up, ignores it instead);
 * TLS 1.3 key updates are answered. close() sends close_notify when it can do so without
 * waiting; a close_notify from the client reads as end of stream.
 *
 * Entry points: handshake(), read(), write(), close(), info().
 * See also: SslServerContext -- the engine's configuration; SocketClientChannel -- the buffering
 * above this.
 */
package org.osgres.postmaster.tls;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import org.osgres.api.session.BackendStatus;
import org.osgres.api.session.TlsInfo;

public final class TlsTransport {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel socket;
    private final SSLEngine engine;
    private final byte[] serverEndPoint;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Encrypted bytes from the socket, in write mode (filled, then flipped for unwrap). */
    private ByteBuffer netIn;
    /** Decrypted bytes not yet handed to the reader, in read mode. */
    private ByteBuffer appIn;
    /** Encrypted bytes for the socket, used under writeLock. */
    private ByteBuffer netOut;
    private boolean handshakeDone;
    private boolean inboundClosed;

    public TlsTransport(SocketChannel socket, SslServerContext context) {
        this.socket = socket;
        this.engine = context.newEngine();
        this.serverEndPoint = context.serverEndPoint();
        SSLSession s = engine.getSession();
        this.netIn = ByteBuffer.allocate(s.getPacketBufferSize());
        this.appIn = ByteBuffer.allocate(s.getApplicationBufferSize()).flip();
        this.netOut = ByteBuffer.allocate(s.getPacketBufferSize());
    }

    /**
     * Runs the handshake to its end.
     *
     * @throws SSLException when the handshake fails (an alert has been sent where possible)
     * @throws IOException  when the client goes away
     */
    public void handshake() throws IOException {
        engine.beginHandshake();
        try {
            while (true) {
                HandshakeStatus hs = engine.getHandshakeStatus();
                switch (hs) {
                    case NEED_WRAP -> wrapHandshake();
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        if (!unwrapOnce()) {
                            throw new EOFException("client closed the connection during the TLS handshake");
                        }
                    }
                    case NEED_TASK -> runTasks();
                    case FINISHED, NOT_HANDSHAKING -> {
                        handshakeDone = true;
                        return;
                    }
                    default -> throw new SSLException("unexpected handshake status " + hs);
                }
            }
        } catch (SSLException e) {
            sendPendingAlert();
            throw e;
        }
    }

    /** Reads decrypted bytes into dst: their number, or -1 at end of stream. */
    public int read(ByteBuffer dst) throws IOException {
        while (!appIn.hasRemaining()) {
            if (inboundClosed) {
                return -1;
            }
            try {
                if (!unwrapOnce()) {
                    return -1;
                }
                HandshakeStatus hs = engine.getHandshakeStatus();
                if (hs != HandshakeStatus.NOT_HANDSHAKING && hs != HandshakeStatus.FINISHED) {
                    if (!"TLSv1.3".equals(engine.getSession().getProtocol())) {
                        throw new SSLException("renegotiation refused");
                    }
                    finishPostHandshake(); // TLS 1.3 KeyUpdate or the like
                }
            } catch (SSLException e) {
                sendPendingAlert();
                throw e;
            }
        }
        int n = Math.min(dst.remaining(), appIn.remaining());
        ByteBuffer slice = appIn.slice(appIn.position(), n);
        dst.put(slice);
        appIn.position(appIn.position() + n);
        return n;
    }

    /** Encrypts and writes every byte of src. */
    public void write(ByteBuffer src) throws IOException {
        writeLock.lock();
        try {
            while (src.hasRemaining()) {
                netOut.clear();
                SSLEngineResult r = engine.wrap(src, netOut);
                switch (r.getStatus()) {
                    case OK -> {
                        netOut.flip();
                        writeFully(netOut);
                    }
                    case BUFFER_OVERFLOW -> netOut = ByteBuffer.allocate(netOut.capacity() * 2);
                    case CLOSED -> throw new IOException("SSL connection has been closed unexpectedly");
                    default -> throw new SSLException("unexpected wrap status " + r.getStatus());
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Sends close_notify if no other thread is writing at this moment; never waits for one. */
    public void close() {
        engine.closeOutbound();
        if (!writeLock.tryLock()) {
            return;
        }
        try {
            while (!engine.isOutboundDone()) {
                netOut.clear();
                SSLEngineResult r = engine.wrap(EMPTY, netOut);
                netOut.flip();
                if (netOut.hasRemaining()) {
                    writeFully(netOut);
                }
                if (r.getStatus() != SSLEngineResult.Status.OK && r.getStatus() != SSLEngineResult.Status.CLOSED) {
                    break;
                }
                if (r.bytesProduced() == 0) {
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the client is gone; the socket is closed next anyway
        } finally {
            writeLock.unlock();
        }
    }

    /** The session's parameters for ClientAddress.tls() (after the handshake). */
    public TlsInfo info() {
        SSLSession s = engine.getSession();
        return new TlsInfo(s.getProtocol(), s.getCipherSuite(), TlsNames.cipherBits(s.getCipherSuite()),
                peerCertificates(s), serverEndPoint);
    }

    /** Fills pg_stat_ssl's columns of the backend's status (PostgreSQL: pgstat_bestart's SSL part). */
    public static void reportStatus(BackendStatus status, TlsInfo tls) {
        if (tls == null) {
            return;
        }
        status.setSsl(tls.protocol(), TlsNames.opensslCipherName(tls.cipher()), tls.bits());
        if (!tls.peerCertificates().isEmpty()) {
            X509Certificate client = tls.peerCertificates().get(0);
            status.setSslClient(TlsNames.distinguishedName(client.getSubjectX500Principal()),
                    client.getSerialNumber(), TlsNames.distinguishedName(client.getIssuerX500Principal()));
        }
    }

    private static List<X509Certificate> peerCertificates(SSLSession s) {
        List<X509Certificate> out = new ArrayList<>();
        try {
            for (Certificate c : s.getPeerCertificates()) {
                if (c instanceof X509Certificate x) {
                    out.add(x);
                }
            }
        } catch (SSLPeerUnverifiedException e) {
            // no client certificate
        }
        return out;
    }

    /** Unwraps one record (reading from the socket as needed); false at end of stream. */
    private boolean unwrapOnce() throws IOException {
        while (true) {
            netIn.flip();
            appIn.compact();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                appIn.flip();
                netIn.compact();
            }
            switch (r.getStatus()) {
                case OK -> {
                    if (r.getHandshakeStatus() == HandshakeStatus.NEED_TASK) {
                        runTasks();
                    }
                    return true;
                }
                case CLOSED -> {
                    inboundClosed = true;
                    close(); // answer close_notify with close_notify
                    return appIn.hasRemaining();
                }
                case BUFFER_UNDERFLOW -> {
                    int needed = engine.getSession().getPacketBufferSize();
                    if (netIn.capacity() < needed) {
                        netIn = grow(netIn, needed);
                    } else if (!netIn.hasRemaining()) {
                        netIn = grow(netIn, netIn.capacity() * 2);
                    }
                    int n;
                    try {
                        n = socket.read(netIn);
                    } catch (IOException e) {
                        n = -1; // a reset is an end of stream like any other
                    }
                    if (n < 0) {
                        inboundClosed = true;
                        return false;
                    }
                }
                case BUFFER_OVERFLOW -> {
                    int size = Math.max(engine.getSession().getApplicationBufferSize(), appIn.capacity() * 2);
                    ByteBuffer bigger = ByteBuffer.allocate(size);
                    bigger.put(appIn);
                    appIn = bigger.flip();
                }
                default -> throw new SSLException("unexpected unwrap status " + r.getStatus());
            }
        }
    }

    private static ByteBuffer grow(ByteBuffer writeMode, int capacity) {
        ByteBuffer bigger = ByteBuffer.allocate(capacity);
        writeMode.flip();
        bigger.put(writeMode);
        return bigger;
    }

    private void wrapHandshake() throws IOException {
        writeLock.lock();
        try {
            while (true) {
                netOut.clear();
                SSLEngineResult r = engine.wrap(EMPTY, netOut);
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    netOut = ByteBuffer.allocate(netOut.capacity() * 2);
                    continue;
                }
                netOut.flip();
                writeFully(netOut);
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    throw new SSLException("TLS handshake ended by an alert");
                }
                return;
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Completes a post-handshake exchange (TLS 1.3) between application records. */
    private void finishPostHandshake() throws IOException {
        while (true) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NEED_WRAP -> wrapHandshake();
                case NEED_TASK -> runTasks();
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    if (!unwrapOnce()) {
                        return;
                    }
                }
                default -> {
                    return;
                }
            }
        }
    }

    /** After a failed unwrap the engine holds an alert for the client: send it, best effort. */
    private void sendPendingAlert() {
        if (!writeLock.tryLock()) {
            return;
        }
        try {
            for (int i = 0; i < 4 && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++) {
                netOut.clear();
                engine.wrap(EMPTY, netOut);
                netOut.flip();
                writeFully(netOut);
            }
        } catch (IOException | RuntimeException e) {
            // the alert is a courtesy
        } finally {
            writeLock.unlock();
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            socket.write(b);
        }
    }
}
