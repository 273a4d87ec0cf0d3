package org.osgres.e2e;

import org.osgres.testing.TestPki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Authentication over real TLS (PostgreSQL's src/test/ssl 001_ssltests.pl and 002_scram.pl, the
 * authentication parts): the cert method with a client certificate whose CN is the role, a wrong
 * CN, no certificate, map= through pg_ident.conf; clientcert=verify-full on a scram-sha-256
 * line; SCRAM-SHA-256-PLUS (tls-server-end-point) with channel_binding=require. Every case goes
 * through psql and pgjdbc; the expected outcome and SQLSTATE of each were recorded from
 * PostgreSQL 15 with the same pg_hba.conf and certificates (e2e/tools/record-auth-goldens.sh,
 * golden/auth/tls-auth.txt).
 */
class AuthTlsIT {
    static OsgresServer server;
    static TestPki pki;
    /** CASE -> {SQLSTATE or "-", psql's first error line or "ok"}. */
    static Map<String, String[]> golden;

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
        golden = readGolden("auth/tls-auth.txt");
        server = OsgresServer.initdb();
        pki = TestPki.create(Files.createDirectories(server.root().resolve("pki")));
        pki.issue("vf", "/CN=vf_user", null);
        for (String n : List.of("client", "vf")) {
            pki.openssl("pkcs8", "-topk8", "-nocrypt", "-outform", "DER", "-in", n + ".key", "-out", n + ".pk8");
        }
        Path data = server.dataDir();
        for (String f : List.of("server.crt", "server.key", "ca.crt")) {
            Files.copy(pki.file(f), data.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(data.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
        server.startServer("ssl=on", "ssl_ca_file=ca.crt", "ssl_min_protocol_version=TLSv1.3");
        AuthHelper.sql(server, "CREATE ROLE alice LOGIN", "CREATE ROLE bob LOGIN", "CREATE ROLE carol LOGIN",
                "CREATE ROLE dave LOGIN", "SET password_encryption = 'scram-sha-256'",
                "CREATE ROLE vf_user LOGIN PASSWORD 'pw'", "CREATE ROLE scram_cb LOGIN PASSWORD 'pw'");
        AuthHelper.file(server, "pg_ident.conf", "certmap alice carol\n");
        // as record-auth-goldens.sh writes them
        AuthHelper.hba(server,
                "hostssl all alice,bob 127.0.0.1/32 cert",
                "hostssl all carol,dave 127.0.0.1/32 cert map=certmap",
                "hostssl all vf_user 127.0.0.1/32 scram-sha-256 clientcert=verify-full",
                "host all scram_cb 127.0.0.1/32 scram-sha-256");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static Map<String, String[]> readGolden(String name) throws Exception {
        Map<String, String[]> m = new LinkedHashMap<>();
        Path file = Path.of(AuthTlsIT.class.getResource("/golden/" + name).toURI());
        for (String line : Files.readAllLines(file)) {
            String[] f = line.split("\t", 3);
            m.put(f[0], new String[] {f[1], f[2]});
        }
        return m;
    }

    // ------------------------------------------------------------------ the cases

    /** CASE -> {user, libpq conninfo}; pgjdbc gets the same through properties. */
    static Map<String, String[]> cases() {
        String cert = "sslmode=require sslcert=" + pki.file("client.crt") + " sslkey=" + pki.file("client.key");
        String vf = "sslmode=require sslcert=" + pki.file("vf.crt") + " sslkey=" + pki.file("vf.key");
        String none = "sslmode=require sslcert=" + pki.file("none.crt");
        Map<String, String[]> c = new LinkedHashMap<>();
        c.put("cert-ok", new String[] {"alice", cert});
        c.put("cert-wrong-cn", new String[] {"bob", cert});
        c.put("cert-no-certificate", new String[] {"alice", none});
        c.put("cert-map-ok", new String[] {"carol", cert});
        c.put("cert-map-no-match", new String[] {"dave", cert});
        c.put("verify-full-ok", new String[] {"vf_user", vf});
        c.put("verify-full-wrong-cn", new String[] {"vf_user", cert});
        c.put("verify-full-wrong-password", new String[] {"vf_user", vf + " password=wrong"});
        c.put("verify-full-no-certificate", new String[] {"vf_user", none});
        c.put("channel-binding-require-tls", new String[] {"scram_cb", "sslmode=require channel_binding=require"});
        c.put("channel-binding-require-no-tls", new String[] {"scram_cb", "sslmode=disable channel_binding=require"});
        c.put("channel-binding-disable-tls", new String[] {"scram_cb", "sslmode=require channel_binding=disable"});
        c.put("scram-wrong-password-tls", new String[] {"scram_cb",
                "sslmode=require channel_binding=require password=wrong"});
        return c;
    }

    @Test
    void psqlMatchesPostgres() throws Exception {
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, String[]> e : cases().entrySet()) {
            String got = psql(e.getValue()[0], e.getValue()[1]);
            String want = golden.get(e.getKey())[1];
            if (!got.equals(want)) {
                mismatches.add(e.getKey() + ": got <" + got + "> want <" + want + ">");
            }
        }
        assertEquals(List.of(), mismatches);
        assertEquals(golden.keySet(), cases().keySet(), "every recorded case is run");
        String log = Files.readString(server.log());
        assertTrue(log.contains("certificate validation (clientcert=verify-full) failed for user \"vf_user\": CN mismatch"),
                log);
    }

    /** pgjdbc: the server's SQLSTATE and message, as recorded; channel binding where pgjdbc has it. */
    @Test
    void pgjdbcMatchesPostgres() throws Exception {
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, String[]> e : cases().entrySet()) {
            String[] want = golden.get(e.getKey());
            if (want[0].equals("-") && !want[1].equals("ok")) {
                continue; // libpq's own refusal: pgjdbc's is checked below
            }
            String expected = want[1].equals("ok") ? "ok" : want[0] + " " + want[1].replace("FATAL:  ", "FATAL: ");
            String got = jdbc(e.getValue()[0], e.getValue()[1]);
            if (!got.equals(expected)) {
                mismatches.add(e.getKey() + ": got <" + got + "> want <" + expected + ">");
            }
        }
        assertEquals(List.of(), mismatches);
    }

    /** pgjdbc 42.7.5's channelBinding=require: SCRAM-SHA-256-PLUS over TLS; refused by pgjdbc without TLS. */
    @Test
    void pgjdbcChannelBinding() throws Exception {
        assertEquals("ok", jdbc("scram_cb", "sslmode=require channel_binding=require"));
        assertEquals("08004 Channel Binding is required, but SSL is not in use",
                jdbc("scram_cb", "sslmode=disable channel_binding=require"));
        assertEquals("28P01 FATAL: password authentication failed for user \"scram_cb\"",
                jdbcWithPassword("scram_cb", "wrong", "sslmode=require channel_binding=require"));
    }

    /** pg_hba_file_rules with ssl = on: hostssl lines without the "SSL is disabled" error. */
    @Test
    void pgHbaFileRulesWithSsl() throws Exception {
        Path hba = server.dataDir().resolve("pg_hba.conf");
        String inForce = Files.readString(hba);
        try {
            Files.copy(AuthViewsIT.golden("hba_file_rules.conf"), hba, StandardCopyOption.REPLACE_EXISTING);
            Cmd.Result r = Cmd.run(List.of("/usr/bin/psql", "-X", "-A", "-F", "|", "-P", "footer=off", "-P",
                    "null=(null)", "host=127.0.0.1 sslmode=require dbname=postgres port=" + server.port() + " user="
                            + server.user(), "-c", "SELECT line_number, type, database, user_name, address, netmask, "
                            + "auth_method, options, error FROM pg_hba_file_rules ORDER BY line_number"),
                    Duration.ofSeconds(60));
            assertEquals(Files.readString(AuthViewsIT.golden("hba_file_rules-ssl.txt")).stripTrailing(),
                    (r.stdout() + r.stderr()).stripTrailing());
        } finally {
            Files.writeString(hba, inForce);
        }
    }

    // ------------------------------------------------------------------ clients

    /** psql with a conninfo and PGPASSWORD=pw: "ok" or its first error line without the address prefix. */
    static String psql(String user, String conninfo) throws Exception {
        List<String> argv = List.of("/usr/bin/psql", "-X", "-w", "-A", "-t", "host=127.0.0.1 port=" + server.port()
                + " dbname=postgres user=" + user + " " + conninfo, "-c", "select 1");
        Cmd.Result r = Cmd.run(argv, Duration.ofSeconds(60), Map.of("PGPASSWORD", "pw"), null);
        if (r.exit() == 0 && r.stdout().equals("1\n")) {
            return "ok";
        }
        String line = r.stderr().lines().filter(l -> l.matches(".*(FATAL|error|failed|required).*")).findFirst()
                .orElse(r.toString());
        return line.replaceFirst("^psql: error: ", "")
                .replaceFirst("^connection to server at \"[^\"]*\"( \\([^)]*\\))?, port \\d+ failed: ", "");
    }

    /** pgjdbc with the conninfo's settings as properties: "ok" or "SQLSTATE message". */
    static String jdbc(String user, String conninfo) {
        return jdbcWithPassword(user, "pw", conninfo);
    }

    static String jdbcWithPassword(String user, String password, String conninfo) {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "10");
        for (String kv : conninfo.split(" ")) {
            String k = kv.substring(0, kv.indexOf('='));
            String v = kv.substring(kv.indexOf('=') + 1);
            switch (k) {
                case "sslkey" -> p.setProperty("sslkey", v.replaceFirst("\\.key$", ".pk8"));
                case "channel_binding" -> p.setProperty("channelBinding", v);
                default -> p.setProperty(k, v);
            }
        }
        String url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres";
        try (Connection c = DriverManager.getConnection(url, p); Statement s = c.createStatement()) {
            s.execute("select 1");
            return "ok";
        } catch (SQLException e) {
            return e.getSQLState() + " " + e.getMessage();
        }
    }
}
