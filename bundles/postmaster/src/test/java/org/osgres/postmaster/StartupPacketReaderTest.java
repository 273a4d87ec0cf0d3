package org.osgres.postmaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

/** The startup packet over a real loopback socket. */
class StartupPacketReaderTest {
    private ServerSocketChannel server;
    private Socket client;
    private SocketClientChannel channel;
    private DataOutputStream toServer;
    private DataInputStream fromServer;

    @BeforeEach
    void connect() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = new Socket(InetAddress.getLoopbackAddress(), ((InetSocketAddress) server.getLocalAddress()).getPort());
        SocketChannel accepted = server.accept();
        channel = new SocketClientChannel(accepted);
        toServer = new DataOutputStream(client.getOutputStream());
        fromServer = new DataInputStream(client.getInputStream());
    }

    @AfterEach
    void close() throws IOException {
        channel.close();
        client.close();
        server.close();
    }

    private static byte[] startupBody(int version, String... pairs) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) (version >>> 24), (byte) (version >>> 16), (byte) (version >>> 8), (byte) version});
        for (String s : pairs) {
            b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        b.write(0);
        return b.toByteArray();
    }

    private void send(byte[] body) throws IOException {
        toServer.writeInt(body.length + 4);
        toServer.write(body);
        toServer.flush();
    }

    @Test
    void readsStartupMessage() throws IOException {
        send(startupBody(StartupCodes.PROTOCOL_3_0, "user", "alice", "database", "db1", "application_name", "t"));
        var r = assertInstanceOf(StartupPacketReader.Startup.class, new StartupPacketReader(channel).read());
        assertEquals("alice", r.parameters().get("user"));
        assertEquals("db1", r.parameters().get("database"));
        assertEquals("t", r.parameters().get("application_name"));
    }

    @Test
    void refusesSslThenReadsStartup() throws IOException {
        toServer.writeInt(8);
        toServer.writeInt(StartupCodes.SSL_REQUEST_CODE);
        send(startupBody(StartupCodes.PROTOCOL_3_0, "user", "bob"));
        var r = assertInstanceOf(StartupPacketReader.Startup.class, new StartupPacketReader(channel).read());
        assertEquals('N', fromServer.readByte());
        assertEquals("bob", r.parameters().get("user"));
    }

    @Test
    void negotiatesMinorVersionAndProtocolOptions() throws IOException {
        send(startupBody(StartupCodes.PROTOCOL_3_0 | 5, "user", "u", "_pq_.compression", "on"));
        new StartupPacketReader(channel).read();
        assertEquals('v', fromServer.readByte());
        assertEquals(4 + 4 + 4 + "_pq_.compression".length() + 1, fromServer.readInt());
        assertEquals(StartupCodes.PROTOCOL_3_0, fromServer.readInt());
        assertEquals(1, fromServer.readInt());
    }

    @Test
    void newerMajorVersionIsFatal() throws IOException {
        send(startupBody(4 << 16, "user", "u"));
        PgException e = assertThrows(PgException.class, () -> new StartupPacketReader(channel).read());
        assertEquals(SqlState.FEATURE_NOT_SUPPORTED, e.sqlState());
        assertEquals("unsupported frontend protocol 4.0: server supports 3.0 to 3.0", e.getMessage());
    }

    @Test
    void olderMajorVersionGetsThePre30ErrorFormat() throws IOException {
        send(startupBody(2 << 16, "user", "u"));
        assertInstanceOf(StartupPacketReader.Closed.class, new StartupPacketReader(channel).read());
        byte[] expected = "EFATAL:  unsupported frontend protocol 2.0: server supports 3.0 to 3.0\n\0"
                .getBytes(StandardCharsets.UTF_8);
        byte[] got = fromServer.readNBytes(expected.length);
        assertEquals(new String(expected, StandardCharsets.UTF_8), new String(got, StandardCharsets.UTF_8));
    }

    @Test
    void missingUserIsFatal28000() throws IOException {
        send(startupBody(StartupCodes.PROTOCOL_3_0, "database", "d"));
        PgException e = assertThrows(PgException.class, () -> new StartupPacketReader(channel).read());
        assertEquals(SqlState.INVALID_AUTHORIZATION_SPECIFICATION, e.sqlState());
    }

    @Test
    void hugeLengthIsDroppedWithoutReadingIt() throws IOException {
        toServer.writeInt(1 << 30);
        toServer.flush();
        assertInstanceOf(StartupPacketReader.Closed.class, new StartupPacketReader(channel).read());
    }

    @Test
    void truncatedPacketIsDropped() throws IOException {
        toServer.writeInt(100);
        toServer.write(new byte[] {0, 3, 0, 0});
        toServer.flush();
        client.shutdownOutput();
        assertInstanceOf(StartupPacketReader.Closed.class, new StartupPacketReader(channel).read());
    }

    @Test
    void cancelRequestCarriesPidAndSecret() throws IOException {
        toServer.writeInt(16);
        toServer.writeInt(StartupCodes.CANCEL_REQUEST_CODE);
        toServer.writeInt(1234);
        toServer.writeInt(-99);
        toServer.flush();
        var c = assertInstanceOf(StartupPacketReader.Cancel.class, new StartupPacketReader(channel).read());
        assertEquals(1234, c.pid());
        assertEquals(-99, c.secret());
    }
}
