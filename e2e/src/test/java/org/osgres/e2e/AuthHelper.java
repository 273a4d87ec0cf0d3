package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * For the authentication e2e tests (PostgreSQL's src/test/authentication): rewrite pg_hba.conf
 * and reload with SIGHUP, waiting until a probe line shows the new file is in force; connect
 * through psql (PGPASSWORD) and pgjdbc and report the outcome as "ok" or "SQLSTATE message".
 */
final class AuthHelper {
    private static int generation;

    private AuthHelper() {
    }

    /**
     * Writes pg_hba.conf: the superuser keeps trust, then the given lines, then a reject line for
     * a probe role whose name changes with every reload; returns once that probe is rejected.
     */
    static void hba(OsgresServer server, String... lines) throws Exception {
        String probe = "probe" + (++generation);
        List<String> all = new ArrayList<>();
        all.add("local all " + server.user() + " trust");
        all.add("host all " + server.user() + " 127.0.0.1/32 trust");
        all.add("host all " + probe + " 127.0.0.1/32 reject");
        all.addAll(List.of(lines));
        Files.writeString(server.dataDir().resolve("pg_hba.conf"), String.join("\n", all) + "\n");
        Cmd.run(List.of("kill", "-HUP", Long.toString(server.pid())), Duration.ofSeconds(10));
        boolean ok = Wait.until(Duration.ofSeconds(30), () -> jdbc(server, probe, "x", "127.0.0.1")
                .contains("pg_hba.conf rejects connection"));
        assertTrue(ok, "pg_hba.conf not reloaded\n" + server.logText());
    }

    static void sql(OsgresServer server, String... statements) throws SQLException {
        try (Connection c = server.connect(); Statement s = c.createStatement()) {
            for (String st : statements) {
                s.execute(st);
            }
        }
    }

    /** pgjdbc: "ok" or "SQLSTATE message". */
    static String jdbc(OsgresServer server, String user, String password, String host) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("connectTimeout", "10");
        p.setProperty("sslmode", "disable");
        String url = "jdbc:postgresql://" + host + ":" + server.port() + "/postgres";
        try (Connection c = DriverManager.getConnection(url, p); Statement s = c.createStatement()) {
            s.execute("select 1");
            return "ok";
        } catch (SQLException e) {
            return e.getSQLState() + " " + e.getMessage();
        }
    }

    /** psql with PGPASSWORD, never prompting: "ok" or the FATAL line psql prints. */
    static String psql(OsgresServer server, String user, String password, String host, Map<String, String> env)
            throws Exception {
        List<String> argv = List.of("/usr/bin/psql", "-X", "-w", "-A", "-t", "-h", host, "-p",
                Integer.toString(server.port()), "-U", user, "-d", "postgres", "-c", "select 1");
        Map<String, String> e = new java.util.HashMap<>(env);
        if (password != null) {
            e.put("PGPASSWORD", password);
        }
        e.putIfAbsent("PGSSLMODE", "disable");
        Cmd.Result r = Cmd.run(argv, Duration.ofSeconds(60), e, null);
        if (r.exit() == 0) {
            assertEquals("1\n", r.stdout());
            return "ok";
        }
        String err = r.stderr().strip();
        int fatal = err.indexOf("FATAL:  ");
        return fatal >= 0 ? err.substring(fatal).lines().findFirst().orElse("") : err;
    }

    static Path file(OsgresServer server, String name, String text) throws Exception {
        Path p = server.dataDir().resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
