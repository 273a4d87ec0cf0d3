package org.osgres.e2e;

import org.osgres.testing.TestPki;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * TLS through real clients: a test CA made here with openssl, the server with ssl = on,
 * ssl_ca_file and ssl_min_protocol_version = TLSv1.3, and pg_hba.conf lines that tell encrypted
 * from unencrypted connections. psql and pgjdbc at sslmode=require and verify-full, a client
 * certificate, hostssl/hostnossl decisions with PostgreSQL's messages, a TLS 1.2-only client, the
 * connection limit answered inside TLS, and bad bytes where a ClientHello belongs.
 * Runs against PostgreSQL 15 too (e2e/tools/run-against-postgres.sh).
 */
class TlsIT {
    static final int MAX_CONNECTIONS = 4;
    static OsgresServer server;
    static TestPki pki;

    @RegisterExtension
    static final TestWatcher PRINT_LOG_ON_FAILURE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (server != null) {
                System.err.println("osgres e2e: " + context.getDisplayName() + " failed\n" + server.logText());
            }
        }
    };

    @BeforeAll
    static void start() throws Exception {
        server = OsgresServer.initdb();
        Path pkiDir = Files.createDirectories(server.root().resolve("pki"));
        pki = TestPki.create(pkiDir);
        pki.issue("mallory", "/CN=mallory", null); // signed by the CA, used with a foreign CA below
        pki.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "rogue.key", "-out", "rogue.crt",
                "-days", "30", "-subj", "/CN=alice");
        Files.setPosixFilePermissions(pki.file("rogue.key"), PosixFilePermissions.fromString("rw-------"));
        pki.openssl("pkcs8", "-topk8", "-nocrypt", "-outform", "DER", "-in", "client.key", "-out", "client.pk8");
        Path data = server.dataDir();
        for (String f : List.of("server.crt", "server.key", "ca.crt")) {
            Files.copy(pki.file(f), data.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(data.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
        String su = server.user();
        Files.writeString(data.resolve("pg_hba.conf"), String.join("\n",
                "local all all trust",
                "hostssl all " + su + " 127.0.0.1/32 trust",
                "hostssl all " + su + " ::1/128 trust",
                "hostnossl template1 " + su + " 127.0.0.1/32 trust",
                "hostnossl all nossl 127.0.0.1/32 trust", ""));
        if (OsgresServer.REFERENCE) {
            Cmd.run(List.of("chown", "-R", "pgref", server.root().toString()), Duration.ofSeconds(10));
        }
        server.startServer("ssl=on", "ssl_ca_file=ca.crt", "ssl_min_protocol_version=TLSv1.3",
                "max_connections=" + MAX_CONNECTIONS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static Cmd.Result psql(String conninfo, String... args) throws Exception {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/psql", "-X", "-A", "-t", "port=" + server.port() + " user="
                + server.user() + " " + conninfo));
        argv.addAll(List.of(args));
        return Cmd.run(argv, Duration.ofSeconds(60));
    }

    static String ca() {
        return pki.file("ca.crt").toString();
    }

    static Connection jdbc(String host, String database, Properties props) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", server.user());
        p.setProperty("connectTimeout", "10");
        p.setProperty("socketTimeout", "60");
        p.setProperty("sslcert", pki.file("none.crt").toString()); // not ~/.postgresql/postgresql.crt
        p.putAll(props);
        return java.sql.DriverManager.getConnection("jdbc:postgresql://" + host + ":" + server.port() + "/" + database, p);
    }

    static Properties props(String... pairs) {
        Properties p = new Properties();
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return p;
    }

    static int selectInt(Connection c, String sql) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getInt(1);
        }
    }

    // ------------------------------------------------------------------ psql

    @Test
    void psqlSslmodeRequire() throws Exception {
        Cmd.Result r = psql("host=127.0.0.1 dbname=postgres sslmode=require", "-c", "\\conninfo", "-c", "select 1");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().contains("SSL connection (protocol: TLSv1.3, cipher: TLS_AES_256_GCM_SHA384, compression: off)"),
                r.toString());
        assertTrue(r.stdout().endsWith("1\n"), r.toString());
    }

    @Test
    void psqlSslmodeVerifyFull() throws Exception {
        Cmd.Result r = psql("host=localhost dbname=postgres sslmode=verify-full sslrootcert=" + ca(), "-c", "select 2");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("2\n", r.stdout());
        // the server's certificate names localhost and 127.0.0.1; a root it does not chain to fails
        Cmd.Result wrongRoot = psql("host=localhost dbname=postgres sslmode=verify-full sslrootcert="
                + pki.file("rogue.crt"), "-c", "select 2");
        assertEquals(2, wrongRoot.exit(), wrongRoot.toString());
        assertTrue(wrongRoot.stderr().contains("certificate verify failed"), wrongRoot.toString());
    }

    @Test
    void psqlClientCertificate() throws Exception {
        Cmd.Result r = psql("host=localhost dbname=postgres sslmode=verify-full sslrootcert=" + ca() + " sslcert="
                + pki.file("client.crt") + " sslkey=" + pki.file("client.key"), "-c", "select 3");
        assertEquals(0, r.exit(), r.toString());
        assertEquals("3\n", r.stdout());
        // a certificate that ssl_ca_file does not vouch for ends the handshake
        Cmd.Result rogue = psql("host=localhost dbname=postgres sslmode=require sslcert=" + pki.file("rogue.crt")
                + " sslkey=" + pki.file("rogue.key"), "-c", "select 3");
        assertEquals(2, rogue.exit(), rogue.toString());
        assertTrue(rogue.stderr().contains("SSL error") || rogue.stderr().contains("SSL SYSCALL error")
                || rogue.stderr().contains("server closed the connection unexpectedly"), rogue.toString());
        assertServing();
    }

    // ------------------------------------------------------------------ pgjdbc

    @Test
    void jdbcSslmodeRequire() throws Exception {
        try (Connection c = jdbc("127.0.0.1", "postgres", props("sslmode", "require"))) {
            assertEquals(4, selectInt(c, "SELECT 4"));
        }
    }

    @Test
    void jdbcSslmodeVerifyFullWithClientCertificate() throws Exception {
        try (Connection c = jdbc("localhost", "postgres", props("sslmode", "verify-full", "sslrootcert", ca()))) {
            assertEquals(5, selectInt(c, "SELECT 5"));
        }
        try (Connection c = jdbc("localhost", "postgres", props("sslmode", "verify-full", "sslrootcert", ca(),
                "sslcert", pki.file("client.crt").toString(), "sslkey", pki.file("client.pk8").toString()))) {
            assertEquals(6, selectInt(c, "SELECT 6"));
        }
    }

    /** pg_stat_ssl over SQL: the session's own row, with the client certificate's subject and issuer. */
    @Test
    void pgStatSslShowsEachSessionsTls() throws Exception {
        try (Connection plain = jdbc("localhost", "template1", props("sslmode", "disable"));
                Connection c = jdbc("localhost", "postgres", props("sslmode", "verify-full", "sslrootcert", ca(),
                        "sslcert", pki.file("client.crt").toString(), "sslkey", pki.file("client.pk8").toString()));
                ResultSet rs = c.createStatement().executeQuery("SELECT ssl, version, cipher, bits, client_dn, issuer_dn, "
                        + "client_serial IS NOT NULL FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            assertTrue(rs.next(), "one row for this session");
            assertTrue(rs.getBoolean(1));
            assertEquals("TLSv1.3", rs.getString(2), "ssl_min_protocol_version=TLSv1.3");
            assertTrue(rs.getString(3).startsWith("TLS_"), rs.getString(3));
            assertTrue(rs.getInt(4) >= 128, "bits " + rs.getInt(4));
            assertEquals("/CN=alice/O=Osgres Test\\, Inc./C=DE", rs.getString(5), "client_dn as PostgreSQL 15 prints it");
            assertTrue(rs.getString(6).contains("CN="), rs.getString(6));
            assertTrue(rs.getBoolean(7));
            int plainPid = selectInt(plain, "SELECT pg_backend_pid()");
            try (ResultSet other = c.createStatement().executeQuery(
                    "SELECT ssl, version FROM pg_stat_ssl WHERE pid = " + plainPid)) {
                assertTrue(other.next(), "the unencrypted session has a row too");
                assertFalse(other.getBoolean(1));
                assertEquals(null, other.getString(2));
            }
        }
    }

    @Test
    void tls12OnlyClientIsRefusedByMinimumTls13() throws Exception {
        SQLException e = assertThrows(SQLException.class, () -> jdbc("127.0.0.1", "postgres",
                props("sslmode", "require", "sslfactory", Tls12OnlySocketFactory.class.getName())));
        assertTrue(String.valueOf(e.getMessage()).contains("SSL error"), e.toString());
        Cmd.Result r = psql("host=127.0.0.1 dbname=postgres sslmode=require ssl_max_protocol_version=TLSv1.2",
                "-c", "select 1");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.stderr().contains("SSL error: tlsv1 alert protocol version"), r.toString());
        assertServing();
    }

    // ------------------------------------------------------------------ pg_hba.conf

    @Test
    void hostsslAndHostnosslDecideAccess() throws Exception {
        String su = server.user();
        Cmd.Result plain = psql("host=127.0.0.1 dbname=postgres sslmode=disable", "-c", "select 1");
        assertEquals(2, plain.exit(), plain.toString());
        assertTrue(plain.stderr().contains("FATAL:  no pg_hba.conf entry for host \"127.0.0.1\", user \"" + su
                + "\", database \"postgres\", no encryption"), plain.toString());
        SQLException e = assertThrows(SQLException.class, () -> jdbc("127.0.0.1", "postgres", props("sslmode", "disable")));
        assertEquals("28000", e.getSQLState(), e.toString());

        Cmd.Result nossl = psql("host=127.0.0.1 dbname=postgres user=nossl sslmode=require", "-c", "select 1");
        assertEquals(2, nossl.exit(), nossl.toString());
        assertTrue(nossl.stderr().contains("FATAL:  no pg_hba.conf entry for host \"127.0.0.1\", user \"nossl\", "
                + "database \"postgres\", SSL encryption"), nossl.toString());

        Cmd.Result hostnossl = psql("host=127.0.0.1 dbname=template1 sslmode=disable", "-c", "select 7");
        assertEquals(0, hostnossl.exit(), hostnossl.toString());
        assertEquals("7\n", hostnossl.stdout());
    }

    // ------------------------------------------------------------------ the connection limit

    @Test
    void overLimitConnectionGetsItsFatalInsideTls() throws Exception {
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                held.add(jdbc("127.0.0.1", "postgres", props("sslmode", "require")));
            }
            SQLException e = assertThrows(SQLException.class, () -> jdbc("127.0.0.1", "postgres", props("sslmode", "require")));
            assertEquals("53300", e.getSQLState(), e.toString());
            Cmd.Result r = psql("host=127.0.0.1 dbname=postgres sslmode=require", "-c", "select 1");
            assertEquals(2, r.exit(), r.toString());
            assertTrue(r.stderr().contains("FATAL:  sorry, too many clients already"), r.toString());
        } finally {
            for (Connection c : held) {
                c.close();
            }
        }
        assertTrue(Wait.until(Duration.ofSeconds(10), () -> {
            try (Connection c = jdbc("127.0.0.1", "postgres", props("sslmode", "require"))) {
                return selectInt(c, "SELECT 1") == 1;
            } catch (SQLException x) {
                return false;
            }
        }), "slots freed after the sessions closed");
    }

    // ------------------------------------------------------------------ raw bytes

    static final byte[] SSL_REQUEST = {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x2f};
    static final byte[] GSSENC_REQUEST = {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x30};

    static Socket raw() throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
        s.setSoTimeout(10_000);
        return s;
    }

    @Test
    void garbageInsteadOfClientHelloLeavesTheServerServing() throws Exception {
        try (Socket s = raw()) {
            s.getOutputStream().write(SSL_REQUEST);
            assertEquals('S', s.getInputStream().read());
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream rest = new ByteArrayOutputStream();
            try {
                in.transferTo(rest); // an alert, then the server closes
            } catch (java.net.SocketException reset) {
                // a reset after the alert is an end too
            }
            byte[] b = rest.toByteArray();
            assertTrue(b.length == 0 || b[0] == 0x15, "a TLS alert record or nothing");
        }
        assertServing();
    }

    @Test
    void gssencRequestIsAnsweredAndTheConnectionGoesOn() throws Exception {
        try (Socket s = raw()) {
            s.getOutputStream().write(GSSENC_REQUEST);
            int answer = s.getInputStream().read();
            // osgres has no GSSAPI: 'N'. The reference PostgreSQL here is built with it: 'G'.
            assertEquals(OsgresServer.REFERENCE ? 'G' : 'N', answer);
        }
        assertServing();
    }

    @Test
    void unencryptedDataAfterSslRequestGetsFatalInsideTls() throws Exception {
        try (Socket s = raw()) {
            byte[] startup = WireClient.startupPacket("3.0", List.of("user=" + server.user(), "database=postgres"));
            byte[] both = new byte[SSL_REQUEST.length + startup.length];
            System.arraycopy(SSL_REQUEST, 0, both, 0, SSL_REQUEST.length);
            System.arraycopy(startup, 0, both, SSL_REQUEST.length, startup.length);
            s.getOutputStream().write(both);
            assertEquals('S', s.getInputStream().read());
            SSLSocket tls = (SSLSocket) trustAll().getSocketFactory().createSocket(s, "127.0.0.1", server.port(), true);
            tls.startHandshake();
            DataInputStream in = new DataInputStream(tls.getInputStream());
            assertEquals('E', in.readByte());
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            String fields = new String(body, StandardCharsets.UTF_8);
            assertTrue(fields.contains("SFATAL\0"), fields);
            assertTrue(fields.contains("C08P01\0"), fields);
            assertTrue(fields.contains("Mreceived unencrypted data after SSL request\0"), fields);
            assertTrue(fields.contains("DThis could be either a client-software bug or evidence of an attempted "
                    + "man-in-the-middle attack.\0"), fields);
        }
        assertServing();
    }

    static SSLContext trustAll() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return ctx;
    }

    static void assertServing() throws Exception {
        try (Connection c = jdbc("127.0.0.1", "postgres", props("sslmode", "require"))) {
            assertEquals(1, selectInt(c, "SELECT 1"));
        }
    }
}
