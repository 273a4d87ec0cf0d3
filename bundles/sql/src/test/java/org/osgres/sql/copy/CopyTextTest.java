package org.osgres.sql.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

/** COPY's text format both ways; the decoded values are what PostgreSQL 15 stored for the same input. */
class CopyTextTest {
    private static final CopyOptions TEXT = CopyOptions.of(Map.of(), true);

    private static List<String[]> read(String data, CopyOptions options) {
        CopyFromText in = new CopyFromText(new ByteArrayInputStream(data.getBytes(StandardCharsets.UTF_8)), options, "ct");
        List<String[]> rows = new ArrayList<>();
        for (String[] r = in.next(); r != null; r = in.next()) {
            rows.add(r);
        }
        return rows;
    }

    @Test
    void escapesNullsAndTheEndMarker() {
        // PostgreSQL 15 stored "2", NULL and tab,'\','x','A','A' for this line (psql: copy ct from stdin)
        List<String[]> rows = read("2\t\\N\t\\t\\\\x\\101\\x41\n\\.\nignored\n", TEXT);
        assertEquals(1, rows.size());
        assertArrayEquals(new String[] {"2", null, "\t\\xAA"}, rows.get(0));
    }

    @Test
    void crLfLinesAndALastLineWithoutNewline() {
        List<String[]> rows = read("1\ta\r\n2\tb\r\n3\tc", TEXT);
        assertEquals(3, rows.size());
        assertArrayEquals(new String[] {"3", "c"}, rows.get(2));
    }

    @Test
    void emptyFieldsAreEmptyStringsNotNull() {
        assertArrayEquals(new String[] {"", "", ""}, read("\t\t\n", TEXT).get(0));
    }

    @Test
    void fieldCountErrorsCarryTheLineContext() {
        CopyFromText in = new CopyFromText(new ByteArrayInputStream("1\tx\n".getBytes(StandardCharsets.UTF_8)), TEXT, "ct");
        String[] row = in.next();
        PgException missing = assertThrows(PgException.class, () -> in.checkFieldCount(row, 3, List.of("a", "b", "c")));
        assertEquals(SqlState.BAD_COPY_FILE_FORMAT, missing.sqlState());
        assertEquals("missing data for column \"c\"", missing.getMessage());
        assertEquals("COPY ct, line 1: \"1\tx\"", missing.context());
        PgException extra = assertThrows(PgException.class, () -> in.checkFieldCount(row, 1, List.of("a")));
        assertEquals("extra data after last expected column", extra.getMessage());
        assertEquals("COPY ct, line 1, column a: \"q\"", in.columnContext("a", "q"));
    }

    @Test
    void optionsAsPostgreSqlChecksThem() {
        assertEquals("option \"bogus\" not recognized",
                assertThrows(PgException.class, () -> CopyOptions.of(Map.of("bogus", Boolean.TRUE), true)).getMessage());
        assertEquals("COPY format \"xml\" not recognized",
                assertThrows(PgException.class, () -> CopyOptions.of(Map.of("format", "xml"), true)).getMessage());
        assertEquals("COPY delimiter must be a single one-byte character",
                assertThrows(PgException.class, () -> CopyOptions.of(Map.of("delimiter", "ab"), true)).getMessage());
        assertEquals("freeze requires a Boolean value",
                assertThrows(PgException.class, () -> CopyOptions.of(Map.of("freeze", "maybe"), true)).getMessage());
        assertEquals(true, CopyOptions.of(Map.of("freeze", "on"), true).freeze());
        assertEquals((byte) ',', CopyOptions.of(Map.of("delimiter", ","), true).delimiter());
    }

    @Test
    void copyToEscapesWhatCopyFromDecodes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CopyToText to = new CopyToText(out, TEXT);
        String[] row = {"a\tb\\c\nd", null, ""};
        to.row(row);
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals("a\\tb\\\\c\\nd\t\\N\t\n", text);
        assertArrayEquals(row, read(text, TEXT).get(0));
    }

    @Test
    void headerLineIsSkipped() {
        List<String[]> rows = read("a\tb\n1\t2\n", CopyOptions.of(Map.of("header", Boolean.TRUE), true));
        assertEquals(1, rows.size());
        assertArrayEquals(new String[] {"1", "2"}, rows.get(0));
    }
}
