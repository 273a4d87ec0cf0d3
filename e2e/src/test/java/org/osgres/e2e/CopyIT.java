package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.io.StringReader;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * COPY FROM STDIN and TO STDOUT through pgjdbc's CopyManager: the text format's escapes and
 * NULLs both ways, defaults for columns not listed, a query's rows, and the errors with
 * PostgreSQL 15's SQLSTATEs, messages and CONTEXT lines; after each error (and after CopyFail)
 * the session goes on. The suite passes against PostgreSQL 15 (e2e/tools/run-against-postgres.sh).
 */
class CopyIT extends WithServer {

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static CopyManager copy(Connection c) throws SQLException {
        return c.unwrap(PGConnection.class).getCopyAPI();
    }

    @BeforeEach
    void table() throws Exception {
        try (Connection c = server.connect()) {
            exec(c, "drop table if exists ct");
            exec(c, "create table ct(a int primary key, b text, c varchar(3), d int default 42)");
        }
    }

    @Test
    void textFormatBothWays() throws Exception {
        try (Connection c = server.connect()) {
            long n = copy(c).copyIn("copy ct (a, b, c) from stdin",
                    new StringReader("1\tx\tabc\n2\t\\N\t\\t\\\\\n3\ta\\nb\t\n\\.\n"));
            assertEquals(3, n);
            StringWriter out = new StringWriter();
            assertEquals(3, copy(c).copyOut("copy ct to stdout", out));
            assertEquals("1\tx\tabc\t42\n2\t\\N\t\\t\\\\\t42\n3\ta\\nb\t\t42\n", out.toString());
            out = new StringWriter();
            assertEquals(2, copy(c).copyOut("copy (select a, b from ct where a > 1 order by a) to stdout with (delimiter ',')", out));
            assertEquals("2,\\N\n3,a\\nb\n", out.toString());
        }
    }

    static String error(Connection c, String sql, String data) {
        try {
            copy(c).copyIn(sql, new StringReader(data));
            return "ok";
        } catch (PSQLException e) {
            ServerErrorMessage m = e.getServerErrorMessage();
            return e.getSQLState() + " " + m.getMessage() + " | " + m.getWhere();
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void badDataGetsPostgresErrorsAndTheSessionGoesOn() throws Exception {
        try (Connection c = server.connect()) {
            assertEquals("22P04 missing data for column \"c\" | COPY ct, line 1: \"1\tx\"",
                    error(c, "copy ct (a, b, c) from stdin", "1\tx\n"));
            assertEquals("22P04 extra data after last expected column | COPY ct, line 2: \"2\tx\ty\tz\"",
                    error(c, "copy ct (a, b, c) from stdin", "1\tx\ty\n2\tx\ty\tz\n"));
            assertEquals("22P02 invalid input syntax for type integer: \"q\" | COPY ct, line 1, column a: \"q\"",
                    error(c, "copy ct (a, b, c) from stdin", "q\tx\ty\n"));
            assertEquals("22001 value too long for type character varying(3) | COPY ct, line 1, column c: \"abcd\"",
                    error(c, "copy ct (a, b, c) from stdin", "1\tx\tabcd\n"));
            assertEquals("23505 duplicate key value violates unique constraint \"ct_pkey\" | COPY ct, line 2",
                    error(c, "copy ct (a) from stdin", "7\n7\n"));
            assertEquals("42703 column \"zz\" of relation \"ct\" does not exist | null",
                    error(c, "copy ct (zz) from stdin", ""));
            assertEquals("42P01 relation \"nosuch\" does not exist | null", error(c, "copy nosuch from stdin", ""));
            assertEquals("42601 option \"bogus\" not recognized | null", error(c, "copy ct from stdin with (bogus)", ""));
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from ct")) {
                assertTrue(rs.next());
                assertEquals(0, rs.getLong(1), "nothing of the failed COPYs stays");
            }
        }
    }

    @Test
    void copyFailEndsTheCopy() throws Exception {
        try (Connection c = server.connect()) {
            CopyIn in = copy(c).copyIn("copy ct (a) from stdin");
            byte[] row = "5\n".getBytes();
            in.writeToCopy(row, 0, row.length);
            in.cancelCopy(); // CopyFail: pgjdbc expects and swallows the server's 57014
            assertFalse(in.isActive());
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from ct")) {
                assertTrue(rs.next());
                assertEquals(0, rs.getLong(1));
            }
        }
    }

    @Test
    void freezeInTheTransactionThatTruncated() throws Exception {
        try (Connection c = server.connect()) {
            assertEquals("55000 cannot perform COPY FREEZE because the table was not created or truncated in the "
                    + "current subtransaction | null", error(c, "copy ct (a) from stdin with (freeze)", "1\n"));
            c.setAutoCommit(false);
            exec(c, "truncate ct");
            assertEquals(2, copy(c).copyIn("copy ct (a) from stdin with (freeze on)", new StringReader("1\n2\n")));
            c.commit();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select sum(d) from ct")) {
                assertTrue(rs.next());
                assertEquals(84, rs.getLong(1));
            }
        }
    }
}
