package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Tables through pgjdbc in every protocol mode: DDL, INSERT with parameters and batches,
 * UPDATE/DELETE with RETURNING, index lookups, constraint errors with their SQLSTATEs,
 * transactions, a cursor (fetch size) that stops early; subqueries in FROM, WITH and
 * set-returning functions in the select list.
 */
class JdbcTablesIT extends WithServer {

    @ParameterizedTest
    @ValueSource(strings = {"simple", "extended", "prepared", "binary"})
    void tablesInEveryProtocolMode(String mode) throws Exception {
        String t = "jt_" + mode;
        CatalogReady.await(server);
        try (Connection c = JdbcIT.connect(mode); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + t);
            s.execute("CREATE TABLE " + t + " (id int PRIMARY KEY, name varchar(20) NOT NULL, amount numeric(10,2),"
                    + " at timestamp, big bigint DEFAULT 7)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + t + " (id, name, amount, at) VALUES (?, ?, ?, ?)")) {
                for (int i = 1; i <= 50; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "n" + i);
                    ps.setBigDecimal(3, new BigDecimal(i + ".25"));
                    ps.setTimestamp(4, Timestamp.valueOf(LocalDateTime.of(2024, 1, 1, 0, 0).plusHours(i)));
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                assertEquals(50, counts.length);
                assertEquals(1, counts[0]);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT name, amount, big, at FROM " + t + " WHERE id = ?")) {
                for (int i = 0; i < 6; i++) { // past prepareThreshold: server-prepared
                    ps.setInt(1, 7);
                    try (ResultSet rs = ps.executeQuery()) {
                        assertTrue(rs.next());
                        assertEquals("n7", rs.getString(1));
                        assertEquals(new BigDecimal("7.25"), rs.getBigDecimal(2));
                        assertEquals(7L, rs.getLong(3));
                        assertEquals(Timestamp.valueOf(LocalDateTime.of(2024, 1, 1, 7, 0)), rs.getTimestamp(4));
                        assertFalse(rs.next());
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE " + t + " SET amount = amount + ? WHERE id = ? RETURNING amount")) {
                ps.setBigDecimal(1, new BigDecimal("1.50"));
                ps.setInt(2, 3);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    assertEquals(new BigDecimal("4.75"), rs.getBigDecimal(1));
                }
            }
            assertEquals(10, s.executeUpdate("DELETE FROM " + t + " WHERE id > 40"));
            try (ResultSet rs = s.executeQuery("SELECT count(*), sum(id) FROM " + t)) {
                assertTrue(rs.next());
                assertEquals(40, rs.getLong(1));
                assertEquals(820, rs.getLong(2));
            }
            SQLException dup = assertThrows(SQLException.class, () -> s.execute("INSERT INTO " + t + " (id, name) VALUES (1, 'x')"));
            assertEquals("23505", dup.getSQLState());
            SQLException nn = assertThrows(SQLException.class, () -> s.execute("INSERT INTO " + t + " (id) VALUES (99)"));
            assertEquals("23502", nn.getSQLState());
            SQLException tooLong = assertThrows(SQLException.class,
                    () -> s.execute("INSERT INTO " + t + " (id, name) VALUES (99, 'xxxxxxxxxxxxxxxxxxxxxxxxx')"));
            assertEquals("22001", tooLong.getSQLState());

            c.setAutoCommit(false);
            s.executeUpdate("INSERT INTO " + t + " (id, name) VALUES (100, 'rolled back')");
            c.rollback();
            s.executeUpdate("INSERT INTO " + t + " (id, name) VALUES (101, 'kept')");
            c.commit();
            c.setAutoCommit(true);
            assertEquals(0, count(s, "SELECT count(*) FROM " + t + " WHERE id = 100"));
            assertEquals(1, count(s, "SELECT count(*) FROM " + t + " WHERE id = 101"));

            // a cursor: rows fetched 5 at a time, the portal closed after the first batch
            c.setAutoCommit(false);
            try (Statement cur = c.createStatement()) {
                cur.setFetchSize(5);
                try (ResultSet rs = cur.executeQuery("SELECT id FROM " + t + " ORDER BY id")) {
                    for (int i = 1; i <= 7; i++) {
                        assertTrue(rs.next());
                        assertEquals(i, rs.getInt(1));
                    }
                }
            }
            c.commit();
            c.setAutoCommit(true);
            s.execute("TRUNCATE " + t);
            assertEquals(0, count(s, "SELECT count(*) FROM " + t));
            s.execute("DROP TABLE " + t);
        }
    }

    /** Subqueries in FROM, WITH and set-returning functions in the select list, with bound parameters. */
    @ParameterizedTest
    @ValueSource(strings = {"simple", "extended", "prepared", "binary"})
    void subqueriesWithQueriesAndSetReturningFunctions(String mode) throws Exception {
        String t = "jq_" + mode;
        CatalogReady.await(server);
        try (Connection c = JdbcIT.connect(mode); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + t);
            s.execute("CREATE TABLE " + t + " (id int PRIMARY KEY, grp int)");
            assertEquals(100, s.executeUpdate("INSERT INTO " + t + " SELECT generate_series(1, 100), 0"));
            s.executeUpdate("UPDATE " + t + " SET grp = id % 3");
            String sql = "WITH g AS (SELECT grp, count(*) AS n FROM " + t + " WHERE id <= ? GROUP BY grp)"
                    + " SELECT s.id, g.n, generate_series(1, s.id) FROM (SELECT id, grp FROM " + t
                    + " WHERE id < ?) s JOIN g ON g.grp = s.grp ORDER BY 1, 3";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < 6; i++) { // past prepareThreshold: server-prepared
                    ps.setInt(1, 10);
                    ps.setInt(2, 3);
                    try (ResultSet rs = ps.executeQuery()) {
                        // ids 1 and 2; groups 1 and 2 have 4 and 3 ids up to 10; id 2 gives 2 rows
                        int[][] expected = {{1, 4, 1}, {2, 3, 1}, {2, 3, 2}};
                        for (int[] row : expected) {
                            assertTrue(rs.next());
                            assertEquals(row[0], rs.getInt(1));
                            assertEquals(row[1], rs.getLong(2));
                            assertEquals(row[2], rs.getInt(3));
                        }
                        assertFalse(rs.next());
                    }
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT generate_series(1, 3) AS a, generate_series(1, 2) AS b")) {
                assertEquals("a", rs.getMetaData().getColumnName(1));
                for (int i = 1; i <= 3; i++) {
                    assertTrue(rs.next());
                    assertEquals(i, rs.getInt(1));
                    rs.getInt(2);
                    assertEquals(i == 3, rs.wasNull());
                }
                assertFalse(rs.next());
            }
            SQLException noAlias = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM (SELECT 1)"));
            assertEquals("42601", noAlias.getSQLState());
            SQLException inWhere = assertThrows(SQLException.class,
                    () -> s.executeQuery("SELECT 1 WHERE generate_series(1, 2) > 1"));
            assertEquals("0A000", inWhere.getSQLState());
            s.execute("DROP TABLE " + t);
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }
}
