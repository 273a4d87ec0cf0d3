package org.osgres.api.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds backend messages (PostgreSQL: pq_beginmessage, pq_sendint32, pq_endmessage in
 * pqformat.c). One builder is reused for many messages: {@link #begin(char)} starts one, the put
 * methods append, {@link #end()} fills in the length. The finished bytes of all messages since the
 * last {@link #reset()} are in {@link #array()} up to {@link #size()}.
 */
public final class MessageBuilder {
    private byte[] buf = new byte[1024];
    private int size;
    private int start = -1;

    /** Starts a message of the given type; its length is written by {@link #end()}. */
    public MessageBuilder begin(char type) {
        ensure(5);
        buf[size++] = (byte) type;
        start = size;
        size += 4;
        return this;
    }

    public MessageBuilder putByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
        return this;
    }

    public MessageBuilder putInt16(int v) {
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
        return this;
    }

    public MessageBuilder putInt32(int v) {
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
        return this;
    }

    public MessageBuilder putBytes(byte[] b) {
        return putBytes(b, 0, b.length);
    }

    public MessageBuilder putBytes(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, size, len);
        size += len;
        return this;
    }

    /** A NUL-terminated UTF-8 string. */
    public MessageBuilder putCString(String s) {
        putBytes(s.getBytes(StandardCharsets.UTF_8));
        return putByte(0);
    }

    /** Finishes the current message by writing its length (which counts itself, not the type). */
    public MessageBuilder end() {
        if (start < 0) {
            throw new IllegalStateException("end() without begin()");
        }
        int len = size - start;
        buf[start] = (byte) (len >>> 24);
        buf[start + 1] = (byte) (len >>> 16);
        buf[start + 2] = (byte) (len >>> 8);
        buf[start + 3] = (byte) len;
        start = -1;
        return this;
    }

    public byte[] array() {
        return buf;
    }

    public int size() {
        return size;
    }

    /** Forgets every message written so far; the buffer is kept for reuse. */
    public void reset() {
        size = 0;
        start = -1;
    }

    private void ensure(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }
}
