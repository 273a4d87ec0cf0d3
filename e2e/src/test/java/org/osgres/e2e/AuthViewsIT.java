package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The authentication views over SQL through psql, compared with PostgreSQL 15's answers to the
 * same statements (e2e/tools/record-auth-goldens.sh): pg_hba_file_rules for a pg_hba.conf with
 * good and bad lines (golden/auth/hba_file_rules.conf and .txt); pg_authid and pg_shadow refused
 * to a non-superuser, pg_roles and pg_user masking passwords, pg_auth_members after GRANT and
 * REVOKE (golden/auth/role-views.txt).
 */
class AuthViewsIT extends WithServer {

    static Path golden(String name) throws Exception {
        return Path.of(AuthViewsIT.class.getResource("/golden/auth/" + name).toURI());
    }

    /** psql -A with '|' between fields: stdout then stderr, as the recording script merges them. */
    static String psql(String user, String sql, String... options) throws Exception {
        List<String> argv = new ArrayList<>(List.of("/usr/bin/psql", "-X", "-A", "-F", "|", "-P", "footer=off"));
        argv.addAll(List.of(options));
        argv.addAll(List.of("-h", "127.0.0.1", "-p", Integer.toString(server.port()), "-U", user, "-d", "postgres",
                "-c", sql));
        Cmd.Result r = Cmd.run(argv, Duration.ofSeconds(60), Map.of("PGSSLMODE", "disable"), null);
        return (r.stdout() + r.stderr()).stripTrailing();
    }

    @Test
    void pgHbaFileRulesMatchesPostgres() throws Exception {
        Path hba = server.dataDir().resolve("pg_hba.conf");
        String inForce = Files.readString(hba);
        try {
            // the view reads the file on disk; the rules in force stay (no reload)
            Files.copy(golden("hba_file_rules.conf"), hba, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            String got = psql(server.user(), "SELECT line_number, type, database, user_name, address, netmask, "
                    + "auth_method, options, error FROM pg_hba_file_rules ORDER BY line_number", "-P", "null=(null)");
            assertEquals(Files.readString(golden("hba_file_rules.txt")).stripTrailing(), got);
        } finally {
            Files.writeString(hba, inForce);
        }
    }

    @Test
    void roleViewsMatchPostgres() throws Exception {
        AuthHelper.sql(server, "CREATE ROLE viewer LOGIN PASSWORD 'pw'", "CREATE ROLE alice LOGIN",
                "CREATE ROLE grp NOLOGIN", "GRANT grp TO viewer", "GRANT grp TO alice WITH ADMIN OPTION");
        List<String> mismatches = new ArrayList<>();
        int cases = 0;
        for (String line : Files.readAllLines(golden("role-views.txt"))) {
            String[] f = line.split("\t", 2);
            String[] spec = statement(f[0]);
            String user = spec[0].equals("postgres") ? server.user() : spec[0];
            String got = psql(user, spec[1]).replace("\n", "\\n");
            if (!got.equals(f[1])) {
                mismatches.add(f[0] + ": got <" + got + "> want <" + f[1] + ">");
            }
            cases++;
        }
        assertEquals(List.of(), mismatches, "of " + cases + " cases");
        assertEquals(8, cases);
    }

    /** The statements of record-auth-goldens.sh's role-views section: {user, SQL}. */
    static String[] statement(String id) {
        String members = "SELECT r.rolname AS role, m.rolname AS member%s FROM pg_auth_members a "
                + "JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member WHERE r.rolname = 'grp' "
                + "ORDER BY m.rolname";
        return switch (id) {
            case "authid-as-viewer" -> new String[] {"viewer", "SELECT rolname FROM pg_authid"};
            case "shadow-as-viewer" -> new String[] {"viewer", "SELECT usename FROM pg_shadow"};
            case "authid-as-superuser" -> new String[] {"postgres", "SELECT rolname, rolsuper, rolcanlogin, "
                    + "rolpassword IS NOT NULL AS has_password, left(rolpassword, 14) AS kind FROM pg_authid "
                    + "WHERE rolname IN ('viewer', 'grp') ORDER BY rolname"};
            case "roles-as-viewer" -> new String[] {"viewer", "SELECT rolname, rolpassword, rolsuper, rolinherit, "
                    + "rolcanlogin FROM pg_roles WHERE rolname IN ('viewer', 'grp', 'alice') ORDER BY rolname"};
            case "user-as-viewer" -> new String[] {"viewer", "SELECT usename, passwd, usesuper FROM pg_user "
                    + "WHERE usename IN ('viewer', 'alice') ORDER BY usename"};
            case "auth-members" -> new String[] {"postgres",
                    String.format(members, ", a.grantor = 10 AS by_bootstrap, a.admin_option")};
            case "revoke" -> new String[] {"postgres", "REVOKE grp FROM viewer"};
            case "auth-members-after-revoke" -> new String[] {"viewer", String.format(members, "")};
            default -> throw new IllegalArgumentException("no statement for " + id);
        };
    }
}
