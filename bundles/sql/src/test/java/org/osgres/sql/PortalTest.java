package org.osgres.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.sql.ExecutionResult;
import org.osgres.api.sql.ParsedStatement;
import org.osgres.api.sql.Portal;
import org.osgres.api.sql.PreparedStatement;

/** Execute with a row limit, binary formats both ways, and Bind's checks. */
class PortalTest {
    private final PgSqlEngine engine = new PgSqlEngine();
    private final TestSession session = new TestSession();

    private PreparedStatement prepare(String sql, int... types) {
        ParsedStatement st = engine.parse(sql).get(0);
        return engine.prepare(st, types, session);
    }

    @Test
    void maxRowsSuspendsAndContinues() throws Exception {
        Portal p = prepare("VALUES (1), (2), (3)").bind(List.of(), new short[0], new short[0], session);
        List<byte[][]> rows = new ArrayList<>();
        ExecutionResult r = p.execute(2, rows::add, session);
        assertTrue(r.suspended());
        assertEquals(2, rows.size());
        r = p.execute(2, rows::add, session);
        assertEquals("SELECT 1", r.commandTag());
        assertEquals(3, rows.size());
    }

    @Test
    void binaryParametersAndResults() throws Exception {
        PreparedStatement ps = prepare("SELECT $1 + 1, $1::numeric / 3");
        assertArrayEquals(new int[] {23}, ps.parameterTypes());
        Portal p = ps.bind(List.of(ByteBuffer.allocate(4).putInt(41).array()), new short[] {1}, new short[] {1, 0},
                session);
        List<byte[][]> rows = new ArrayList<>();
        p.execute(0, rows::add, session);
        assertEquals(42, ByteBuffer.wrap(rows.get(0)[0]).getInt());
        assertEquals("13.6666666666666667", new String(rows.get(0)[1]));
        assertEquals(1, p.columns().get(0).format());
    }

    @Test
    void badBinaryParameterLength() {
        PreparedStatement ps = prepare("SELECT $1::int4");
        PgException e = assertThrows(PgException.class,
                () -> ps.bind(List.of(new byte[5]), new short[] {1}, new short[0], session));
        assertEquals(SqlState.INVALID_BINARY_REPRESENTATION, e.sqlState());
        assertEquals("incorrect binary data format in bind parameter 1", e.getMessage());
        e = assertThrows(PgException.class,
                () -> ps.bind(List.of(new byte[2]), new short[] {1}, new short[0], session));
        assertEquals(SqlState.PROTOCOL_VIOLATION, e.sqlState());
    }

    @Test
    void wrongParameterCount() {
        PgException e = assertThrows(PgException.class,
                () -> prepare("SELECT $2").bind(List.of(), new short[0], new short[0], session));
        assertEquals(SqlState.PROTOCOL_VIOLATION, e.sqlState());
    }

    @Test
    void transactionExitAndCommandNames() {
        assertTrue(engine.parse("ROLLBACK").get(0).isTransactionExit());
        assertEquals("START TRANSACTION", engine.parse("start transaction").get(0).commandName());
        assertEquals("CREATE TABLE", engine.parse("create table t (a int)").get(0).commandName());
    }
}
