package org.osgres.postmaster;

import static org.junit.jupiter.api.Assertions.*;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.session.BackendStatus;
import org.osgres.api.session.ClientAddress;
import org.osgres.api.session.TlsInfo;
import org.osgres.postmaster.tls.PemFiles;
import org.osgres.postmaster.tls.PgStatSsl;
import org.osgres.postmaster.tls.ServerTls;
import org.osgres.postmaster.tls.TlsTestFiles;
import org.osgres.postmaster.tls.TlsTransport;

/** SSLRequest, the handshake and the startup packet inside TLS, over a real loopback socket. */
class TlsStartupTest {
    @TempDir
    static Path dir;
    static ServerTls serverTls;
    static SSLContext clientContext;

    private ServerSocketChannel server;
    private Socket client;
    private SocketClientChannel channel;

    @BeforeAll
    static void pki() throws Exception {
        serverTls = TlsTestFiles.serverTls(dir);
        clientContext = clientContext(dir);
    }

    /** A client that trusts the test CA and presents the client certificate. */
    static SSLContext clientContext(Path dir) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", PemFiles.certificates(Files.readAllBytes(dir.resolve("ca.crt"))).get(0));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("client", PemFiles.privateKey(Files.readAllBytes(dir.resolve("client.key"))), new char[0],
                PemFiles.certificates(Files.readAllBytes(dir.resolve("client.crt"))).toArray(new X509Certificate[0]));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    @BeforeEach
    void connect() throws IOException {
        server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        client = new Socket(InetAddress.getLoopbackAddress(), ((InetSocketAddress) server.getLocalAddress()).getPort());
        client.setSoTimeout(10_000);
        SocketChannel accepted = server.accept();
        channel = new SocketClientChannel(accepted,
                new ClientAddress((InetSocketAddress) accepted.getRemoteAddress(), null, null), serverTls);
    }

    @AfterEach
    void close() throws IOException {
        channel.close();
        client.close();
        server.close();
    }

    private static byte[] sslRequest() {
        return new byte[] {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x2f};
    }

    private static byte[] startupPacket(String user) {
        byte[] params = ("user\0" + user + "\0\0").getBytes(StandardCharsets.UTF_8);
        int len = 8 + params.length;
        byte[] p = new byte[len];
        p[0] = (byte) (len >>> 24);
        p[1] = (byte) (len >>> 16);
        p[2] = (byte) (len >>> 8);
        p[3] = (byte) len;
        p[5] = 3;
        System.arraycopy(params, 0, p, 8, params.length);
        return p;
    }

    private CompletableFuture<StartupPacketReader.Request> readAsync() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new StartupPacketReader(channel).read();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void startupPacketInsideTls() throws Exception {
        var request = readAsync();
        client.getOutputStream().write(sslRequest());
        assertEquals('S', client.getInputStream().read());
        SSLSocket tls = (SSLSocket) clientContext.getSocketFactory().createSocket(client, "localhost", client.getPort(), true);
        tls.startHandshake();
        tls.getOutputStream().write(startupPacket("alice"));
        var startup = assertInstanceOf(StartupPacketReader.Startup.class, request.get(10, TimeUnit.SECONDS));
        assertEquals("alice", startup.parameters().get("user"));

        TlsInfo info = channel.origin().tls();
        assertNotNull(info);
        assertEquals(tls.getSession().getProtocol(), info.protocol());
        assertEquals(tls.getSession().getCipherSuite(), info.cipher());
        assertEquals(1, info.peerCertificates().size());
        X509Certificate serverCert = (X509Certificate) tls.getSession().getPeerCertificates()[0];
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(serverCert.getEncoded()), info.serverEndPoint());

        // pg_stat_ssl's row for this session
        BackendStatus status = new BackendStatus(4242, "client backend", OffsetDateTime.now());
        TlsTransport.reportStatus(status, info);
        Object[] row = PgStatSsl.row(status);
        assertEquals(4242, row[0]);
        assertEquals(true, row[1]);
        assertEquals(info.protocol(), row[2]);
        assertEquals(256, row[4]);
        assertEquals("/CN=alice/O=Osgres Test\\, Inc./C=DE", row[5]);
        assertEquals(new BigDecimal(info.peerCertificates().get(0).getSerialNumber()), row[6]);
        assertEquals("/CN=osgres test CA", row[7]);

        // the session's bytes go both ways through TLS
        channel.writeBytes("hello".getBytes(StandardCharsets.US_ASCII), 0, 5);
        channel.flush();
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), new DataInputStream(tls.getInputStream()).readNBytes(5));
        tls.getOutputStream().write(new byte[] {'Q', 0, 0, 0, 5, 0});
        var message = channel.readMessage();
        assertEquals('Q', message.type());

        // close_notify from the client reads as end of stream
        tls.shutdownOutput(); // close_notify, without waiting for the answer
        assertNull(channel.readMessage());
        tls.close();
    }

    @Test
    void unencryptedDataAfterSslRequestIsRefusedInsideTls() throws Exception {
        var request = readAsync();
        OutputStream out = client.getOutputStream();
        byte[] both = new byte[8 + startupPacket("alice").length];
        System.arraycopy(sslRequest(), 0, both, 0, 8);
        System.arraycopy(startupPacket("alice"), 0, both, 8, both.length - 8);
        out.write(both);
        assertEquals('S', client.getInputStream().read());
        SSLSocket tls = (SSLSocket) clientContext.getSocketFactory().createSocket(client, "localhost", client.getPort(), true);
        tls.startHandshake();
        var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> request.get(10, TimeUnit.SECONDS));
        PgException pg = assertInstanceOf(PgException.class, e.getCause());
        assertEquals(SqlState.PROTOCOL_VIOLATION, pg.sqlState());
        assertEquals("received unencrypted data after SSL request", pg.getMessage());
        tls.close();
    }

    @Test
    void garbageInsteadOfClientHelloClosesTheConnection() throws Exception {
        var request = readAsync();
        client.getOutputStream().write(sslRequest());
        assertEquals('S', client.getInputStream().read());
        client.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".repeat(20).getBytes(StandardCharsets.US_ASCII));
        assertInstanceOf(StartupPacketReader.Closed.class, request.get(10, TimeUnit.SECONDS));
        channel.close(); // as ConnectionStartup does
        // an alert, then end of stream
        byte[] rest = client.getInputStream().readAllBytes();
        assertTrue(rest.length == 0 || rest[0] == 0x15, "a TLS alert record or nothing");
    }

    @Test
    void gssencRequestIsRefusedAndSslMayFollow() throws Exception {
        var request = readAsync();
        DataOutputStream out = new DataOutputStream(client.getOutputStream());
        out.write(new byte[] {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x30});
        assertEquals('N', client.getInputStream().read());
        out.write(sslRequest());
        assertEquals('S', client.getInputStream().read());
        SSLSocket tls = (SSLSocket) clientContext.getSocketFactory().createSocket(client, "localhost", client.getPort(), true);
        tls.startHandshake();
        tls.getOutputStream().write(startupPacket("bob"));
        assertInstanceOf(StartupPacketReader.Startup.class, request.get(10, TimeUnit.SECONDS));
    }
}
