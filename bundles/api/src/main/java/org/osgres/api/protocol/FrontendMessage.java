package org.osgres.api.protocol;

import java.nio.charset.StandardCharsets;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

/**
 * One message from the client: its type byte and its payload, with a read cursor
 * (PostgreSQL: pq_getmsgint, pq_getmsgstring, ... in pqformat.c). Reading past the end is a
 * protocol violation (08P01), never an index error.
 */
public final class FrontendMessage {
    private final char type;
    private final byte[] payload;
    private int cursor;

    public FrontendMessage(char type, byte[] payload) {
        this.type = type;
        this.payload = payload;
    }

    /** The type byte ('Q', 'P', ...); 0 for startup packets, which have none. */
    public char type() {
        return type;
    }

    public int length() {
        return payload.length;
    }

    public int remaining() {
        return payload.length - cursor;
    }

    public byte getByte() {
        if (cursor >= payload.length) {
            throw violation("no data left in message"); // PostgreSQL: pq_getmsgbyte
        }
        return payload[cursor++];
    }

    public short getInt16() {
        need(2);
        int v = ((payload[cursor] & 0xff) << 8) | (payload[cursor + 1] & 0xff);
        cursor += 2;
        return (short) v;
    }

    public int getInt32() {
        need(4);
        int v = ((payload[cursor] & 0xff) << 24) | ((payload[cursor + 1] & 0xff) << 16)
                | ((payload[cursor + 2] & 0xff) << 8) | (payload[cursor + 3] & 0xff);
        cursor += 4;
        return v;
    }

    public byte[] getBytes(int n) {
        if (n < 0) {
            throw violation("invalid message format");
        }
        need(n);
        byte[] out = new byte[n];
        System.arraycopy(payload, cursor, out, 0, n);
        cursor += n;
        return out;
    }

    /** A NUL-terminated UTF-8 string (PostgreSQL: pq_getmsgstring). */
    public String getCString() {
        for (int i = cursor; i < payload.length; i++) {
            if (payload[i] == 0) {
                String s = new String(payload, cursor, i - cursor, StandardCharsets.UTF_8);
                cursor = i + 1;
                return s;
            }
        }
        throw violation("invalid string in message");
    }

    /** Checks that the whole message was consumed (PostgreSQL: pq_getmsgend). */
    public void end() {
        if (cursor != payload.length) {
            throw violation("invalid message format");
        }
    }

    private void need(int n) {
        if (payload.length - cursor < n) {
            throw violation("insufficient data left in message");
        }
    }

    private static PgException violation(String message) {
        return new PgException(SqlState.PROTOCOL_VIOLATION, message);
    }
}
