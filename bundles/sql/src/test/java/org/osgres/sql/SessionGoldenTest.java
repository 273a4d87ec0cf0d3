package org.osgres.sql;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgres.api.auth.RoleCatalog;
import org.osgres.auth.hba.roles.FileRoleCatalog;
import org.osgres.auth.hba.roles.RoleFile;
import org.osgres.api.auth.PasswordEncryption;
import org.osgres.api.error.PgException;
import org.osgres.api.sql.ColumnDescriptor;
import org.osgres.api.sql.ExecutionResult;
import org.osgres.api.sql.ParsedStatement;
import org.osgres.api.sql.Portal;
import org.osgres.api.sql.PreparedStatement;

/**
 * Runs the golden files tools/record-sql2-golden.py recorded from PostgreSQL 15 (roles, views,
 * functions) through PgSqlEngine: one session per role, notices included, an in-memory role
 * catalog with the bootstrap superuser "postgres", and SystemViews set up by the test.
 */
class SessionGoldenTest {

    record Case(String sql, String user, List<String> lines) {
    }

    static List<Case> load(String name) throws Exception {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = SessionGoldenTest.class.getResourceAsStream("/golden/" + name + "-cases.txt");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String sql = null;
            String user = "postgres";
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    if (sql != null) {
                        cases.add(new Case(sql, user, lines));
                    }
                    sql = null;
                    user = "postgres";
                    lines = new ArrayList<>();
                } else if (line.startsWith("Q ")) {
                    sql = GoldenTest.unescape(line.substring(2));
                } else if (line.startsWith("U ")) {
                    user = line.substring(2);
                } else {
                    lines.add(line);
                }
            }
        }
        return cases;
    }

    /** A stand-in for the auth bundle's service: md5 as PostgreSQL computes it, a marker for SCRAM. */
    static final PasswordEncryption FAKE_ENCRYPTION = (role, password, method) -> {
        if (method.equals("md5")) {
            try {
                return "md5" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                        .digest((password + role).getBytes(StandardCharsets.UTF_8)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return "SCRAM-SHA-256$test";
    };

    static List<String> run(PgSqlEngine engine, TestSession session, String sql) {
        List<String> out = new ArrayList<>();
        session.notices.clear();
        try {
            for (ParsedStatement st : engine.parse(sql)) {
                PreparedStatement ps = engine.prepare(st, new int[0], session);
                Portal portal = ps.bind(List.of(), new short[0], new short[0], session);
                List<String> result = new ArrayList<>();
                for (ColumnDescriptor cd : portal.columns()) {
                    result.add("C " + GoldenTest.escape(cd.name()) + "\t" + cd.typeOid());
                }
                ExecutionResult res = portal.execute(0, row -> {
                    StringBuilder sb = new StringBuilder("R ");
                    for (int i = 0; i < row.length; i++) {
                        if (i > 0) {
                            sb.append('\t');
                        }
                        sb.append(GoldenTest.escape(row[i] == null ? null : new String(row[i], StandardCharsets.UTF_8)));
                    }
                    result.add(sb.toString());
                }, session);
                result.add("T " + res.commandTag());
                out.clear();
                out.addAll(notices(session));
                out.addAll(result);
            }
        } catch (PgException e) {
            out.clear();
            out.addAll(notices(session));
            out.add("E " + e.sqlState().code() + "\t" + GoldenTest.escape(e.getMessage()) + "\t" + e.position() + "\t"
                    + GoldenTest.escape(e.hint() == null ? "" : e.hint()) + "\t"
                    + GoldenTest.escape(e.detail() == null ? "" : e.detail()));
        } catch (Exception e) {
            out.clear();
            out.add("X " + e);
        }
        return out;
    }

    private static List<String> notices(TestSession session) {
        List<String> out = new ArrayList<>();
        for (PgException n : session.notices) {
            out.add("N " + n.severity().wireName() + "\t" + GoldenTest.escape(n.getMessage()));
        }
        return out;
    }

    /** Runs every case of a golden file; returns the failures. */
    static List<String> check(String name, PgSqlEngine engine) throws Exception {
        return check(name, engine, TestSession::new);
    }

    static List<String> check(String name, PgSqlEngine engine, java.util.function.Supplier<TestSession> newSession)
            throws Exception {
        Map<String, TestSession> sessions = new HashMap<>();
        List<String> failures = new ArrayList<>();
        List<Case> cases = load(name);
        for (Case c : cases) {
            TestSession session = sessions.computeIfAbsent(c.user(), u -> {
                TestSession s = newSession.get();
                s.user = u;
                return s;
            });
            List<String> got = run(engine, session, c.sql());
            if (!got.equals(c.lines())) {
                failures.add(c.sql() + (c.user().equals("postgres") ? "" : " (as " + c.user() + ")")
                        + "\n   expected " + c.lines() + "\n   got      " + got);
            }
        }
        System.out.println(name + " golden cases: " + cases.size() + ", failed: " + failures.size());
        failures.forEach(f -> System.out.println("FAIL " + f));
        return failures;
    }

    /** The server's role catalog over a fresh data directory, with initdb's superuser "postgres". */
    static RoleCatalog roleCatalog() {
        try {
            java.nio.file.Path data = java.nio.file.Files.createTempDirectory("osgres-sql-roles-");
            RoleFile.bootstrap(data, "postgres", null);
            return new FileRoleCatalog(data);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The engine with a role catalog and the auth bundle's role views over it, as in the server. */
    static PgSqlEngine engineWithRoles() {
        PgSqlEngine engine = new PgSqlEngine();
        RoleCatalog catalog = roleCatalog();
        engine.services().setRoleCatalog(catalog);
        engine.services().setPasswordEncryption(FAKE_ENCRYPTION);
        engine.services().addView(new org.osgres.auth.hba.views.RoleViews.PgRoles(catalog));
        engine.services().addView(new org.osgres.auth.hba.views.RoleViews.PgAuthMembers(catalog));
        return engine;
    }

    /** pg_settings from the config bundle over its real GUC table, with the server's defaults. */
    @Test
    void systemViewQueriesMatchPostgreSql() throws Exception {
        PgSqlEngine engine = engineWithRoles();
        engine.addSystemView(new org.osgres.config.views.PgSettingsView());
        org.osgres.config.SettingsService settings = new org.osgres.config.SettingsService(Map.of());
        List<String> failures = check("views", engine, () -> new TestSession(settings));
        assertTrue(failures.isEmpty(), failures.size() + " view cases differ from PostgreSQL 15");
    }

    @Test
    void administrationFunctionsMatchPostgreSql() throws Exception {
        List<String> failures = check("functions", engineWithRoles());
        assertTrue(failures.isEmpty(), failures.size() + " function cases differ from PostgreSQL 15");
    }

    @Test
    void roleStatementsMatchPostgreSql() throws Exception {
        List<String> failures = check("roles", engineWithRoles());
        assertTrue(failures.isEmpty(), failures.size() + " role cases differ from PostgreSQL 15");
    }
}
