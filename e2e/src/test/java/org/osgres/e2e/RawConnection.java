package org.osgres.e2e;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bare frontend/backend protocol v3 connection for tests that need what a driver hides:
 * SSLRequest, raw and malformed messages, the exact ErrorResponse fields, whether the server
 * closed the socket or reset it. Reads time out after a few seconds.
 */
final class RawConnection implements AutoCloseable {
    static final int SSL_REQUEST_CODE = 80877103;
    static final int PROTOCOL_3_0 = 196608;

    /** One backend message. */
    record Message(char type, byte[] payload) {
        /** ErrorResponse/NoticeResponse fields by code (S, V, C, M...). */
        Map<Character, String> fields() {
            Map<Character, String> f = new LinkedHashMap<>();
            int i = 0;
            while (i < payload.length && payload[i] != 0) {
                char code = (char) payload[i++];
                int end = i;
                while (payload[end] != 0) end++;
                f.put(code, new String(payload, i, end - i, StandardCharsets.UTF_8));
                i = end + 1;
            }
            return f;
        }

        String sqlState() { return fields().get('C'); }
        String severity() { return fields().get('V'); }
        String message() { return fields().get('M'); }

        @Override
        public String toString() {
            return type == 'E' || type == 'N' ? type + fields().toString() : type + "(" + payload.length + " bytes)";
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawConnection(int port, int timeoutMillis) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(timeoutMillis);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    RawConnection(int port) throws IOException {
        this(port, 10_000);
    }

    /** SSLRequest; returns the one-byte answer ('N' here, 'S' with TLS). */
    char sslRequest() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(8).putInt(8).putInt(SSL_REQUEST_CODE);
        send(b.array());
        return (char) in.readUnsignedByte();
    }

    void startup(String user, String database, String... more) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        cstring(body, "user");
        cstring(body, user);
        cstring(body, "database");
        cstring(body, database);
        for (String s : more) cstring(body, s);
        body.write(0);
        byte[] b = body.toByteArray();
        send(ByteBuffer.allocate(8 + b.length).putInt(8 + b.length).putInt(PROTOCOL_3_0).put(b).array());
    }

    /** Startup, then reads up to ReadyForQuery (or the first ErrorResponse, returned). */
    Message login(String user) throws IOException {
        startup(user, "postgres");
        while (true) {
            Message m = read();
            if (m.type() == 'Z' || m.type() == 'E') return m;
        }
    }

    /** Startup up to ReadyForQuery; returns BackendKeyData's pid and secret. */
    int[] loginWithKey(String user) throws IOException {
        startup(user, "postgres");
        int[] key = null;
        while (true) {
            Message m = read();
            if (m.type() == 'E') throw new IOException("login failed: " + m);
            if (m.type() == 'K') {
                ByteBuffer b = ByteBuffer.wrap(m.payload());
                key = new int[] {b.getInt(), b.getInt()};
            }
            if (m.type() == 'Z') return key;
        }
    }

    /** A CancelRequest on a connection of its own, which the server closes without a reply. */
    static void cancelRequest(int port, int pid, int secret) throws IOException {
        try (RawConnection c = new RawConnection(port)) {
            c.send(ByteBuffer.allocate(16).putInt(16).putInt(80877102).putInt(pid).putInt(secret).array());
            if (!c.closedByServer()) throw new IOException("the server kept the cancel connection open");
        }
    }

    static void cstring(ByteArrayOutputStream b, String s) {
        b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        b.write(0);
    }

    /** A message with a type byte and a payload (length added). */
    void sendMessage(char type, byte[] payload) throws IOException {
        send(ByteBuffer.allocate(5 + payload.length).put((byte) type).putInt(4 + payload.length).put(payload).array());
    }

    void query(String sql) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        cstring(b, sql);
        sendMessage('Q', b.toByteArray());
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    Message read() throws IOException {
        int type = in.read();
        if (type < 0) throw new EOFException("server closed the connection");
        int len = in.readInt();
        byte[] payload = new byte[len - 4];
        in.readFully(payload);
        return new Message((char) type, payload);
    }

    /** Reads until ReadyForQuery; returns the first ErrorResponse seen, or null. */
    Message untilReady() throws IOException {
        Message error = null;
        while (true) {
            Message m = read();
            if (m.type() == 'E' && error == null) error = m;
            if (m.type() == 'Z') return error;
        }
    }

    /**
     * True when the server closed the connection in an orderly way (end of stream), false when it
     * is still open; a reset throws.
     */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * The RowDescription a simple query gets, as "name typeoid" per column, logged in as the
     * superuser (the column types of system views, compared with PostgreSQL's).
     */
    static List<String> rowDescription(int port, String sql) throws IOException {
        try (RawConnection c = new RawConnection(port)) {
            Message ready = c.login(OsgresServer.superuser());
            if (ready.type() != 'Z') throw new AssertionError(ready.toString());
            c.query(sql);
            while (true) {
                RawConnection.Message m = c.read();
                if (m.type() == 'E') throw new AssertionError(m.toString());
                if (m.type() != 'T') continue;
                ByteBuffer b = ByteBuffer.wrap(m.payload());
                int n = b.getShort();
                List<String> out = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int start = b.position();
                    while (b.get() != 0) { }
                    String name = new String(m.payload(), start, b.position() - start - 1, StandardCharsets.UTF_8);
                    b.getInt();
                    b.getShort();
                    int type = b.getInt();
                    b.getShort();
                    b.getInt();
                    b.getShort();
                    out.add(name + " " + type);
                }
                return out;
            }
        }
    }
}
