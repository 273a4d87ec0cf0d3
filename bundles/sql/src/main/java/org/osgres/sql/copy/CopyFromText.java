package org.osgres.sql.copy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

/*
 * CopyFromText: the text format of COPY FROM (PostgreSQL: commands/copyfromparse.c
 * CopyReadLine, CopyReadAttributesText). Lines end with the first line's ending (\n, \r\n or
 * \r); fields are split at the delimiter; a field whose raw text equals the null string is
 * NULL; backslash escapes (\b \f \n \r \t \v, octal \ooo, hex \xhh, and \c for any other c)
 * are decoded; a line "\." ends the data.
 *
 * It works on bytes and makes one String per field, so loading millions of rows (pgbench -i)
 * allocates little besides the values.
 *
 * Entry points: next() gives each row's fields; lineContext() and columnContext() for errors.
 * See also: CopyToText -- the other direction; CopyOptions.
 */
public final class CopyFromText {
    private static final int CHUNK = 64 * 1024;

    private final InputStream in;
    private final CopyOptions options;
    private final byte[] nullBytes;
    private final byte[] chunk = new byte[CHUNK];
    private int chunkPos;
    private int chunkLen;
    private boolean eof;
    /** The current line's bytes, without its ending. */
    private byte[] line = new byte[256];
    private int lineLen;
    private long lineNumber;
    /** 0 until the first line tells: '\n', '\r' (a lone CR) or 'b' (CR LF). */
    private char eol;
    private boolean headerSkipped;
    private byte[] fieldBuf = new byte[256];

    private final String table;

    /** @param table the relation name for CONTEXT lines */
    public CopyFromText(InputStream in, CopyOptions options, String table) {
        this.in = in;
        this.table = table;
        this.options = options;
        this.nullBytes = options.nullString().getBytes(StandardCharsets.UTF_8);
    }

    /** The 1-based number of the line last read. */
    public long lineNumber() {
        return lineNumber;
    }

    /** CopyFromErrorCallback for the whole line: COPY t, line 3: "...". */
    public String lineContext() {
        return "COPY " + table + ", line " + lineNumber + ": \"" + limit(new String(line, 0, lineLen,
                StandardCharsets.UTF_8)) + "\"";
    }

    /** CopyFromErrorCallback once the line is parsed (an error while inserting it): COPY t, line 3. */
    public String rowContext() {
        return "COPY " + table + ", line " + lineNumber;
    }

    /** CopyFromErrorCallback for one field: COPY t, line 3, column a: "..." (or ": null input"). */
    public String columnContext(String column, String value) {
        return "COPY " + table + ", line " + lineNumber + ", column " + column + ": "
                + (value == null ? "null input" : "\"" + limit(value) + "\"");
    }

    /** limit_printout_length: at most 100 bytes, then "...". */
    private static String limit(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= 100) {
            return s;
        }
        int n = 100;
        while (n > 0 && (b[n] & 0xc0) == 0x80) {
            n--;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8) + "...";
    }

    /**
     * The next row's fields (null for NULL), or null at the end of the data: end of input or
     * the "\." line. Reads the rest of the input after "\." so the client's CopyDone is consumed.
     */
    public String[] next() {
        try {
            while (true) {
                if (!readLine()) {
                    return null;
                }
                if (lineLen == 2 && line[0] == '\\' && line[1] == '.') {
                    drain();
                    return null;
                }
                if (options.header() && !headerSkipped) {
                    headerSkipped = true;
                    continue;
                }
                return fields();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks the row has the expected number of fields (NextCopyFrom). */
    public void checkFieldCount(String[] row, int expected, List<String> columnNames) {
        if (row.length > expected) {
            throw new PgException(SqlState.BAD_COPY_FILE_FORMAT, "extra data after last expected column")
                    .withContext(lineContext());
        }
        if (row.length < expected) {
            throw new PgException(SqlState.BAD_COPY_FILE_FORMAT,
                    "missing data for column \"" + columnNames.get(row.length) + "\"").withContext(lineContext());
        }
    }

    private void drain() throws IOException {
        while (!eof) {
            chunkPos = chunkLen;
            fillChunk();
        }
    }

    private boolean fillChunk() throws IOException {
        if (chunkPos < chunkLen) {
            return true;
        }
        if (eof) {
            return false;
        }
        int n = in.read(chunk, 0, CHUNK);
        if (n <= 0) {
            eof = true;
            return false;
        }
        chunkPos = 0;
        chunkLen = n;
        return true;
    }

    /** CopyReadLine: the next line into {@code line}; false at end of input. */
    private boolean readLine() throws IOException {
        lineLen = 0;
        boolean any = false;
        while (fillChunk()) {
            any = true;
            int start = chunkPos;
            int i = start;
            while (i < chunkLen && chunk[i] != '\n' && chunk[i] != '\r') {
                i++;
            }
            append(chunk, start, i - start);
            if (i == chunkLen) {
                chunkPos = i;
                continue;
            }
            byte b = chunk[i];
            chunkPos = i + 1;
            if (b == '\r') {
                if (eol == 0) {
                    eol = fillChunk() && chunk[chunkPos] == '\n' ? 'b' : '\r';
                }
                if (eol == '\n') {
                    throw lineError("literal carriage return found in data", "Use \"\\\\r\" to represent carriage return.");
                }
                if (eol == 'b') {
                    if (!fillChunk() || chunk[chunkPos] != '\n') {
                        throw lineError("literal carriage return found in data",
                                "Use \"\\\\r\" to represent carriage return.");
                    }
                    chunkPos++;
                }
            } else {
                if (eol == 0) {
                    eol = '\n';
                } else if (eol != '\n') {
                    throw lineError("literal newline found in data", "Use \"\\\\n\" to represent newline.");
                }
            }
            lineNumber++;
            return true;
        }
        if (any && lineLen > 0) {
            lineNumber++;
            return true;
        }
        return false;
    }

    private PgException lineError(String message, String hint) {
        lineNumber++;
        return new PgException(SqlState.BAD_COPY_FILE_FORMAT, message).withHint(hint).withContext(lineContext());
    }

    private void append(byte[] b, int off, int len) {
        if (lineLen + len > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLen + len));
        }
        System.arraycopy(b, off, line, lineLen, len);
        lineLen += len;
    }

    /** CopyReadAttributesText: splits and de-escapes the current line. */
    private String[] fields() {
        List<String> out = new ArrayList<>();
        byte delim = options.delimiter();
        int i = 0;
        while (true) {
            int rawStart = i;
            int n = 0;
            while (i < lineLen && line[i] != delim) {
                byte c = line[i++];
                if (c == '\\' && i < lineLen) {
                    byte e = line[i++];
                    switch (e) {
                        case 'b' -> c = '\b';
                        case 'f' -> c = '\f';
                        case 'n' -> c = '\n';
                        case 'r' -> c = '\r';
                        case 't' -> c = '\t';
                        case 'v' -> c = 0x0b;
                        case 'x' -> {
                            int v = hex(i < lineLen ? line[i] : -1);
                            if (v < 0) {
                                c = 'x';
                            } else {
                                i++;
                                int v2 = hex(i < lineLen ? line[i] : -1);
                                if (v2 >= 0) {
                                    v = v * 16 + v2;
                                    i++;
                                }
                                c = (byte) v;
                            }
                        }
                        default -> {
                            if (e >= '0' && e <= '7') {
                                int v = e - '0';
                                for (int k = 0; k < 2 && i < lineLen && line[i] >= '0' && line[i] <= '7'; k++) {
                                    v = v * 8 + (line[i++] - '0');
                                }
                                c = (byte) v;
                            } else {
                                c = e;
                            }
                        }
                    }
                }
                n = put(n, c);
            }
            int rawLen = i - rawStart;
            if (rawLen == nullBytes.length && Arrays.equals(line, rawStart, i, nullBytes, 0, nullBytes.length)) {
                out.add(null);
            } else {
                out.add(new String(fieldBuf, 0, n, StandardCharsets.UTF_8));
            }
            if (i >= lineLen) {
                break;
            }
            i++; // the delimiter
        }
        return out.toArray(new String[0]);
    }

    private int put(int n, byte c) {
        if (n == fieldBuf.length) {
            fieldBuf = Arrays.copyOf(fieldBuf, fieldBuf.length * 2);
        }
        fieldBuf[n] = c;
        return n + 1;
    }

    private static int hex(int b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
