package org.osgres.sql.copy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/*
 * CopyToText: the text format of COPY TO (PostgreSQL: commands/copyto.c CopyAttributeOutText):
 * fields joined by the delimiter, NULL as the null string, and backslash, the delimiter,
 * newline, carriage return, tab, backspace, form feed and vertical tab escaped. Each row is one
 * write (one CopyData message), ending with a newline.
 *
 * Entry points: row() with each column's text (null for NULL).
 * See also: CopyFromText -- the other direction.
 */
public final class CopyToText {
    private final OutputStream out;
    private final byte delimiter;
    private final byte[] nullBytes;
    private byte[] buf = new byte[512];
    private int len;

    public CopyToText(OutputStream out, CopyOptions options) {
        this.out = out;
        this.delimiter = options.delimiter();
        this.nullBytes = options.nullString().getBytes(StandardCharsets.UTF_8);
    }

    /** Sends one row. */
    public void row(String[] fields) throws IOException {
        len = 0;
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                put(delimiter);
            }
            if (fields[i] == null) {
                for (byte b : nullBytes) {
                    put(b);
                }
            } else {
                attribute(fields[i].getBytes(StandardCharsets.UTF_8));
            }
        }
        put((byte) '\n');
        out.write(buf, 0, len);
    }

    private void attribute(byte[] value) {
        for (byte c : value) {
            byte e = switch (c) {
                case '\b' -> (byte) 'b';
                case '\f' -> (byte) 'f';
                case '\n' -> (byte) 'n';
                case '\r' -> (byte) 'r';
                case '\t' -> (byte) 't';
                case 0x0b -> (byte) 'v';
                default -> 0;
            };
            if (e != 0) {
                put((byte) '\\');
                put(e);
            } else if (c == '\\' || c == delimiter) {
                put((byte) '\\');
                put(c);
            } else {
                put(c);
            }
        }
    }

    private void put(byte b) {
        if (len == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        buf[len++] = b;
    }
}
