package org.osgres.sql.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

/** Binary send/recv round trips and the wire layout of numeric. */
class BinaryIOTest {

    private static void roundTrip(PgType t, Object v) {
        assertEquals(v, BinaryIO.recv(t, -1, BinaryIO.send(t, v)), t + " " + v);
    }

    @Test
    void inetAndTextArraySendAsPostgreSql() {
        assertArrayEquals(new byte[] {2, 32, 0, 4, 127, 0, 0, 1}, BinaryIO.send(PgType.INET, "127.0.0.1"));
        assertArrayEquals(new byte[] {2, 24, 0, 4, 10, 1, 2, 0}, BinaryIO.send(PgType.INET, "10.1.2.0/24"));
        assertEquals(3, BinaryIO.send(PgType.INET, "::1")[0]);
        // ndim 1, has nulls, element oid 25, 2 elements from 1: "a", NULL
        assertEquals("00000001" + "00000001" + "00000019" + "00000002" + "00000001" + "00000001" + "61" + "ffffffff",
                HexFormat.of().formatHex(BinaryIO.send(PgType.TEXT_ARRAY, new String[] {"a", null})));
        assertEquals("00000000" + "00000000" + "00000019", HexFormat.of().formatHex(
                BinaryIO.send(PgType.TEXT_ARRAY, new String[0])));
    }

    @Test
    void scalarRoundTrips() {
        roundTrip(PgType.BOOL, true);
        roundTrip(PgType.INT2, (short) -7);
        roundTrip(PgType.INT4, Integer.MIN_VALUE);
        roundTrip(PgType.INT8, Long.MAX_VALUE);
        roundTrip(PgType.OID, 4294967295L);
        roundTrip(PgType.FLOAT4, 0.1f);
        roundTrip(PgType.FLOAT8, -1e300);
        roundTrip(PgType.TEXT, "héllo");
        roundTrip(PgType.VARCHAR, "x");
        roundTrip(PgType.NAME, "postgres");
        roundTrip(PgType.DATE, LocalDate.of(1999, 12, 31));
        roundTrip(PgType.TIMESTAMP, LocalDateTime.of(2024, 2, 29, 13, 14, 15, 123456000));
        assertArrayEquals(new byte[] {1, 2}, (byte[]) BinaryIO.recv(PgType.BYTEA, -1, new byte[] {1, 2}));
    }

    @Test
    void numericWireFormatMatchesPostgres() {
        // numeric_send('12345.678'): ndigits 3, weight 1, sign 0, dscale 3, digits 1 2345 6780
        assertEquals("0003000100000003000109291a7c",
                HexFormat.of().formatHex(BinaryIO.send(PgType.NUMERIC, new BigDecimal("12345.678"))));
        assertEquals("0000000000000000", HexFormat.of().formatHex(BinaryIO.send(PgType.NUMERIC, BigDecimal.ZERO)));
        for (String s : new String[] {"0", "1", "-1", "0.0001", "10000", "123456789.987654321", "-0.5", "1.000",
                "99999999999999999999.00000000000000000001"}) {
            BigDecimal d = new BigDecimal(s);
            assertEquals(d.toPlainString(),
                    ((BigDecimal) BinaryIO.recv(PgType.NUMERIC, -1, BinaryIO.send(PgType.NUMERIC, d))).toPlainString());
        }
        assertEquals(Numerics.NAN, BinaryIO.recv(PgType.NUMERIC, -1, BinaryIO.send(PgType.NUMERIC, Numerics.NAN)));
    }

    @Test
    void wrongLengthsAreRejected() {
        PgException shortInt = assertThrows(PgException.class, () -> BinaryIO.recv(PgType.INT4, -1, new byte[2]));
        assertEquals(SqlState.PROTOCOL_VIOLATION, shortInt.sqlState());
        assertEquals("insufficient data left in message", shortInt.getMessage());
        PgException longInt = assertThrows(PgException.class, () -> BinaryIO.recv(PgType.INT4, -1, new byte[5]));
        assertEquals(SqlState.INVALID_BINARY_REPRESENTATION, longInt.sqlState());
    }

    @Test
    void floatTextOutputIsShortestRoundTrip() {
        assertEquals("0.30000000000000004", FloatFormat.float8out(0.1 + 0.2));
        assertEquals("1e+20", FloatFormat.float8out(1e20));
        assertEquals("1e-05", FloatFormat.float8out(1e-5));
        assertEquals("123456789012345", FloatFormat.float8out(123456789012345.0));
        assertEquals("1.234567e+06", FloatFormat.float4out(1234567f));
        assertEquals("-Infinity", FloatFormat.float8out(Double.NEGATIVE_INFINITY));
    }
}
