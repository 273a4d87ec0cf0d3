package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** Role DDL through pgjdbc and psql: a role created with CREATE ROLE can log in (trust), DROP ROLE ends that. */
class RolesIT extends WithServer {

    static Connection as(String user) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        return server.connect(p);
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void createdRoleLogsInAndDroppedRoleCannot() throws Exception {
        try (Connection admin = server.connect()) {
            exec(admin, "CREATE ROLE e2e_login LOGIN CONNECTION LIMIT 5");
            exec(admin, "CREATE ROLE e2e_group NOLOGIN");
            exec(admin, "GRANT e2e_group TO e2e_login");
            try (Connection c = as("e2e_login")) {
                assertEquals(List.of(List.of("e2e_login", "e2e_login")),
                        SystemViewsIT.rows(c, "SELECT current_user, current_role"));
                SQLException e = assertThrows(SQLException.class, () -> exec(c, "CREATE ROLE e2e_other"));
                assertEquals("42501", e.getSQLState());
                assertTrue(e.getMessage().contains("permission denied to create role"), e.getMessage());
            }
            assertEquals(List.of(List.of("e2e_group", "e2e_login")), SystemViewsIT.rows(admin,
                    "SELECT r.rolname, m.rolname FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid "
                            + "JOIN pg_roles m ON m.oid = a.member WHERE m.rolname = 'e2e_login'"));
            SQLException noLogin = assertThrows(SQLException.class, () -> as("e2e_group").close());
            assertEquals("28000", noLogin.getSQLState());
            exec(admin, "DROP ROLE e2e_login, e2e_group");
            assertEquals(List.of(), SystemViewsIT.rows(admin, "SELECT rolname FROM pg_roles WHERE rolname LIKE 'e2e_%'"));
        }
        SQLException e = assertThrows(SQLException.class, () -> as("e2e_login").close());
        assertEquals("28000", e.getSQLState());
    }

    @Test
    void psqlRoleCommandsAndNotices() throws Exception {
        Cmd.Result r = PsqlIT.psql("127.0.0.1", List.of("-c", "CREATE USER e2e_psql",
                "-c", "ALTER USER e2e_psql CREATEDB", "-c", "DROP ROLE IF EXISTS e2e_psql, e2e_nosuch"));
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("CREATE ROLE", "ALTER ROLE", "DROP ROLE"), r.stdoutLines());
        assertEquals(List.of("NOTICE:  role \"e2e_nosuch\" does not exist, skipping"), r.stderrLines());
    }
}
