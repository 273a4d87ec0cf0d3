package org.osgres.sql.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

/*
 * BinaryIO: the binary send and receive functions of the built-in types (PostgreSQL: int.c
 * int4send/int4recv, int8.c, float.c, bool.c, varlena.c textsend, numeric.c numeric_send /
 * numeric_recv (NBASE 10000 digits), date.c and timestamp.c (days and microseconds since
 * 2000-01-01)).
 *
 * Entry points: send(type, value), recv(type, typmod, bytes).
 * See also: TypeIO -- the text forms.
 */
public final class BinaryIO {
    static final LocalDate PG_EPOCH_DATE = LocalDate.of(2000, 1, 1);
    static final LocalDateTime PG_EPOCH = PG_EPOCH_DATE.atStartOfDay();
    private static final short NUMERIC_POS = 0x0000;
    private static final short NUMERIC_NEG = 0x4000;
    private static final short NUMERIC_NAN = (short) 0xC000;

    private BinaryIO() {
    }

    public static byte[] send(PgType type, Object v) {
        return switch (type) {
            case BOOL -> new byte[] {(byte) (((Boolean) v) ? 1 : 0)};
            case INT2 -> ByteBuffer.allocate(2).putShort((Short) v).array();
            case INT4 -> ByteBuffer.allocate(4).putInt((Integer) v).array();
            case INT8 -> ByteBuffer.allocate(8).putLong((Long) v).array();
            case OID -> ByteBuffer.allocate(4).putInt((int) (long) (Long) v).array();
            case FLOAT4 -> ByteBuffer.allocate(4).putFloat((Float) v).array();
            case FLOAT8 -> ByteBuffer.allocate(8).putDouble((Double) v).array();
            case NUMERIC -> numericSend(v);
            case BYTEA -> (byte[]) v;
            case DATE -> ByteBuffer.allocate(4)
                    .putInt((int) ChronoUnit.DAYS.between(PG_EPOCH_DATE, (LocalDate) v)).array();
            case TIMESTAMP -> ByteBuffer.allocate(8).putLong(micros((LocalDateTime) v)).array();
            case TIMESTAMPTZ -> ByteBuffer.allocate(8).putLong(micros(
                    ((OffsetDateTime) v).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime())).array();
            case VOID -> new byte[0];
            case TID -> ByteBuffer.allocate(6).putInt(((org.osgres.api.heap.ItemPointer) v).block())
                    .putShort((short) ((org.osgres.api.heap.ItemPointer) v).offset()).array();
            case XID -> ByteBuffer.allocate(4).putInt((int) (long) (Long) v).array();
            case PG_LSN -> ByteBuffer.allocate(8).putLong((Long) v).array();
            case TEXT_ARRAY -> textArraySend((String[]) v);
            case INET -> inetSend((String) v);
            default -> v.toString().getBytes(StandardCharsets.UTF_8);
        };
    }

    /** inet_send(): family (2 IPv4, 3 IPv6), mask bits, is_cidr 0, address length, address bytes. */
    private static byte[] inetSend(String text) {
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        byte[] addr;
        try {
            if (!host.matches("[0-9a-fA-F:.]+")) {
                throw new java.net.UnknownHostException(host); // a literal only: never a DNS lookup
            }
            addr = java.net.InetAddress.getByName(host).getAddress();
        } catch (java.net.UnknownHostException e) {
            throw new PgException(SqlState.INVALID_TEXT_REPRESENTATION,
                    "invalid input syntax for type inet: \"" + text + "\"");
        }
        int bits = slash < 0 ? addr.length * 8 : Integer.parseInt(text.substring(slash + 1));
        ByteBuffer buf = ByteBuffer.allocate(4 + addr.length);
        buf.put((byte) (addr.length == 4 ? 2 : 3)).put((byte) bits).put((byte) 0).put((byte) addr.length).put(addr);
        return buf.array();
    }

    /** array_send() for a one-dimensional text[] (lower bound 1). */
    private static byte[] textArraySend(String[] elements) {
        List<byte[]> encoded = new ArrayList<>();
        boolean hasNull = false;
        int size = 12 + (elements.length > 0 ? 8 : 0);
        for (String e : elements) {
            byte[] b = e == null ? null : e.getBytes(StandardCharsets.UTF_8);
            hasNull |= b == null;
            encoded.add(b);
            size += 4 + (b == null ? 0 : b.length);
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        buf.putInt(elements.length > 0 ? 1 : 0).putInt(hasNull ? 1 : 0).putInt(PgType.TEXT.oid());
        if (elements.length > 0) {
            buf.putInt(elements.length).putInt(1);
        }
        for (byte[] b : encoded) {
            if (b == null) {
                buf.putInt(-1);
            } else {
                buf.putInt(b.length).put(b);
            }
        }
        return buf.array();
    }

    private static long micros(LocalDateTime t) {
        Duration d = Duration.between(PG_EPOCH, t);
        return d.getSeconds() * 1_000_000L + d.getNano() / 1000;
    }

    private static LocalDateTime fromMicros(long us) {
        return PG_EPOCH.plusSeconds(Math.floorDiv(us, 1_000_000L)).plusNanos(Math.floorMod(us, 1_000_000L) * 1000);
    }

    /** typreceive; the whole buffer must be consumed, as pq_getmsgend() checks. */
    public static Object recv(PgType type, int typmod, byte[] b) {
        ByteBuffer buf = ByteBuffer.wrap(b);
        Object v = switch (type) {
            case BOOL -> need(buf, 1).get() != 0;
            case INT2 -> need(buf, 2).getShort();
            case INT4 -> need(buf, 4).getInt();
            case INT8, PG_LSN -> need(buf, 8).getLong();
            case OID -> need(buf, 4).getInt() & 0xffffffffL;
            case FLOAT4 -> need(buf, 4).getFloat();
            case FLOAT8 -> need(buf, 8).getDouble();
            case NUMERIC -> numericRecv(buf);
            case BYTEA -> {
                buf.position(b.length);
                yield b.clone();
            }
            case DATE -> PG_EPOCH_DATE.plusDays(need(buf, 4).getInt());
            case TIMESTAMP -> fromMicros(need(buf, 8).getLong());
            case TIMESTAMPTZ -> fromMicros(need(buf, 8).getLong()).atOffset(ZoneOffset.UTC);
            case NAME, TEXT, VARCHAR, BPCHAR, UNKNOWN -> {
                buf.position(b.length);
                yield new String(b, StandardCharsets.UTF_8);
            }
            default -> throw new PgException(SqlState.FEATURE_NOT_SUPPORTED,
                    "no binary input function available for type " + type.displayName());
        };
        if (buf.hasRemaining()) {
            throw new PgException(SqlState.INVALID_BINARY_REPRESENTATION, "incorrect binary data format");
        }
        return TypeIO.applyTypmod(type, typmod, v, false);
    }

    private static ByteBuffer need(ByteBuffer buf, int n) {
        if (buf.remaining() < n) {
            throw new PgException(SqlState.PROTOCOL_VIOLATION, "insufficient data left in message");
        }
        return buf;
    }

    /** numeric_send: ndigits, weight, sign, dscale, then the NBASE digits. */
    static byte[] numericSend(Object value) {
        if (value == Numerics.NAN) {
            return ByteBuffer.allocate(8).putShort((short) 0).putShort((short) 0).putShort(NUMERIC_NAN)
                    .putShort((short) 0).array();
        }
        BigDecimal v = (BigDecimal) value;
        int dscale = Math.max(v.scale(), 0);
        BigDecimal abs = v.abs();
        List<Short> digits = new ArrayList<>();
        int weight = 0;
        if (abs.signum() != 0) {
            // align the value to NBASE groups: scale up to a multiple of 4 decimals
            int fracGroups = (dscale + 3) / 4;
            BigInteger all = abs.setScale(fracGroups * 4).unscaledValue();
            BigInteger nbase = BigInteger.valueOf(10000);
            List<Short> rev = new ArrayList<>();
            while (all.signum() > 0) {
                BigInteger[] qr = all.divideAndRemainder(nbase);
                rev.add(qr[1].shortValue());
                all = qr[0];
            }
            for (int i = rev.size() - 1; i >= 0; i--) {
                digits.add(rev.get(i));
            }
            weight = digits.size() - 1 - fracGroups;
            while (!digits.isEmpty() && digits.get(0) == 0) {
                digits.remove(0);
                weight--;
            }
            while (!digits.isEmpty() && digits.get(digits.size() - 1) == 0) {
                digits.remove(digits.size() - 1);
            }
        }
        ByteBuffer buf = ByteBuffer.allocate(8 + 2 * digits.size());
        buf.putShort((short) digits.size()).putShort((short) weight)
                .putShort(v.signum() < 0 ? NUMERIC_NEG : NUMERIC_POS).putShort((short) dscale);
        for (short d : digits) {
            buf.putShort(d);
        }
        return buf.array();
    }

    static Object numericRecv(ByteBuffer buf) {
        int ndigits = need(buf, 2).getShort();
        int weight = need(buf, 2).getShort();
        int sign = need(buf, 2).getShort() & 0xffff;
        int dscale = need(buf, 2).getShort();
        if (ndigits < 0 || dscale < 0) {
            throw new PgException(SqlState.INVALID_BINARY_REPRESENTATION, "invalid length in external \"numeric\" value");
        }
        if (sign == (NUMERIC_NAN & 0xffff)) {
            return Numerics.NAN;
        }
        if (sign != NUMERIC_POS && sign != NUMERIC_NEG) {
            throw new PgException(SqlState.INVALID_BINARY_REPRESENTATION, "invalid sign in external \"numeric\" value");
        }
        BigDecimal r = BigDecimal.ZERO;
        for (int i = 0; i < ndigits; i++) {
            int d = need(buf, 2).getShort();
            if (d < 0 || d >= 10000) {
                throw new PgException(SqlState.INVALID_BINARY_REPRESENTATION, "invalid digit in external \"numeric\" value");
            }
            r = r.add(BigDecimal.valueOf(d).movePointRight(4 * (weight - i)));
        }
        if (sign == NUMERIC_NEG) {
            r = r.negate();
        }
        return r.setScale(dscale, java.math.RoundingMode.HALF_UP);
    }
}
