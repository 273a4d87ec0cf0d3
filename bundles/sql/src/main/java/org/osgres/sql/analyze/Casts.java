package org.osgres.sql.analyze;

import static org.osgres.sql.types.PgType.BOOL;
import static org.osgres.sql.types.PgType.BPCHAR;
import static org.osgres.sql.types.PgType.DATE;
import static org.osgres.sql.types.PgType.FLOAT4;
import static org.osgres.sql.types.PgType.FLOAT8;
import static org.osgres.sql.types.PgType.INT2;
import static org.osgres.sql.types.PgType.INT4;
import static org.osgres.sql.types.PgType.INT8;
import static org.osgres.sql.types.PgType.NAME;
import static org.osgres.sql.types.PgType.NUMERIC;
import static org.osgres.sql.types.PgType.OID;
import static org.osgres.sql.types.PgType.TEXT;
import static org.osgres.sql.types.PgType.TIMESTAMP;
import static org.osgres.sql.types.PgType.TIMESTAMPTZ;
import static org.osgres.sql.types.PgType.VARCHAR;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.exec.Builtins;
import org.osgres.sql.exec.EvalContext;
import org.osgres.sql.types.Numerics;
import org.osgres.sql.types.PgType;

/*
 * Casts: the built-in casts and their contexts (PostgreSQL: catalog/pg_cast.dat; bodies from
 * int.c i4toi2 etc., float.c ftoi4 (rint), numeric.c numeric_int4 (half away from zero) and
 * float8_numeric (DBL_DIG significant digits), varchar.c, timestamp.c).
 *
 * A cast is 'i' (implicit: operator and function arguments), 'a' (assignment) or 'e'
 * (explicit only). Casts to the string types through the output function are allowed in
 * assignment context, from the string types through the input function only explicitly
 * (parse_coerce.c find_coercion_pathway's COERCION_PATH_COERCEVIAIO).
 *
 * Entry points: find(), canCoerceImplicit().
 */
public final class Casts {
    /** One pg_cast row. */
    public record Cast(char context, BiFunction<Object, EvalContext, Object> fn) {
    }

    private static final Map<PgType, Map<PgType, Cast>> CASTS = new EnumMap<>(PgType.class);

    static {
        List<PgType> ints = List.of(INT2, INT4, INT8);
        for (PgType from : ints) {
            for (PgType to : ints) {
                if (from != to) {
                    char ctx = ints.indexOf(to) > ints.indexOf(from) ? 'i' : 'a';
                    add(from, to, ctx, (v, x) -> OperatorCatalog.box(
                            OperatorCatalog.narrow(((Number) v).longValue(), to), to));
                }
            }
            add(from, FLOAT4, 'i', (v, x) -> ((Number) v).floatValue());
            add(from, FLOAT8, 'i', (v, x) -> ((Number) v).doubleValue());
            add(from, NUMERIC, 'i', (v, x) -> BigDecimal.valueOf(((Number) v).longValue()));
            add(from, OID, 'i', (v, x) -> ((Number) v).longValue() & 0xffffffffL);
            add(FLOAT4, from, 'a', (v, x) -> floatToInt((Float) v, to(from)));
            add(FLOAT8, from, 'a', (v, x) -> floatToInt((Double) v, to(from)));
            add(NUMERIC, from, 'a', (v, x) -> numericToInt(v, from));
        }
        add(OID, INT4, 'a', (v, x) -> (int) (long) (Long) v);
        add(OID, INT8, 'a', (v, x) -> v);
        add(INT4, BOOL, 'e', (v, x) -> (Integer) v != 0);
        add(BOOL, INT4, 'e', (v, x) -> ((Boolean) v) ? 1 : 0);
        for (PgType t : List.of(TEXT, VARCHAR, BPCHAR)) {
            add(BOOL, t, 'a', (v, x) -> ((Boolean) v) ? "true" : "false");
        }
        add(FLOAT4, FLOAT8, 'i', (v, x) -> (double) (Float) v);
        add(FLOAT8, FLOAT4, 'a', (v, x) -> {
            float f = (float) (double) (Double) v;
            Builtins.checkFloat(f, Double.isInfinite((Double) v), f == 0 && (Double) v != 0);
            return f;
        });
        add(FLOAT4, NUMERIC, 'a', (v, x) -> floatToNumeric((Float) v, 6));
        add(FLOAT8, NUMERIC, 'a', (v, x) -> floatToNumeric((Double) v, 15));
        add(NUMERIC, FLOAT4, 'i', (v, x) -> v == Numerics.NAN ? Float.NaN : ((BigDecimal) v).floatValue());
        add(NUMERIC, FLOAT8, 'i', (v, x) -> v == Numerics.NAN ? Double.NaN : ((BigDecimal) v).doubleValue());
        BiFunction<Object, EvalContext, Object> same = (v, x) -> v;
        BiFunction<Object, EvalContext, Object> strip = (v, x) -> Builtins.bpcharStrip((String) v);
        add(TEXT, BPCHAR, 'i', same);
        add(TEXT, VARCHAR, 'i', same);
        add(TEXT, NAME, 'i', (v, x) -> org.osgres.sql.types.TypeIO.truncateName((String) v));
        add(VARCHAR, TEXT, 'i', same);
        add(VARCHAR, BPCHAR, 'i', same);
        add(VARCHAR, NAME, 'i', (v, x) -> org.osgres.sql.types.TypeIO.truncateName((String) v));
        add(BPCHAR, TEXT, 'i', strip);
        add(BPCHAR, VARCHAR, 'i', strip);
        add(BPCHAR, NAME, 'i', strip);
        add(NAME, TEXT, 'i', same);
        add(NAME, VARCHAR, 'a', same);
        add(NAME, BPCHAR, 'a', same);
        add(DATE, TIMESTAMP, 'i', (v, x) -> ((LocalDate) v).atStartOfDay());
        add(DATE, TIMESTAMPTZ, 'i', (v, x) -> ((LocalDate) v).atStartOfDay(x.zone()).toOffsetDateTime());
        add(TIMESTAMP, TIMESTAMPTZ, 'i', (v, x) -> ((LocalDateTime) v).atZone(x.zone()).toOffsetDateTime());
        add(TIMESTAMP, DATE, 'a', (v, x) -> ((LocalDateTime) v).toLocalDate());
        add(TIMESTAMPTZ, DATE, 'a', (v, x) -> ((OffsetDateTime) v).atZoneSameInstant(x.zone()).toLocalDate());
        add(TIMESTAMPTZ, TIMESTAMP, 'a',
                (v, x) -> ((OffsetDateTime) v).atZoneSameInstant(x.zone()).toLocalDateTime());
    }

    private Casts() {
    }

    private static PgType to(PgType t) {
        return t;
    }

    private static void add(PgType from, PgType to, char context, BiFunction<Object, EvalContext, Object> fn) {
        CASTS.computeIfAbsent(from, k -> new EnumMap<>(PgType.class)).put(to, new Cast(context, fn));
    }

    /** The pg_cast entry, or null. */
    public static Cast find(PgType from, PgType to) {
        Map<PgType, Cast> m = CASTS.get(from);
        return m == null ? null : m.get(to);
    }

    /** can_coerce_type() for one argument in implicit context. */
    public static boolean canCoerceImplicit(PgType from, PgType to) {
        if (from == to || from == PgType.UNKNOWN || to == PgType.ANY) {
            return true;
        }
        Cast c = find(from, to);
        return c != null && c.context() == 'i';
    }

    /** ftoi4 and friends: round to nearest even, then check the range. */
    static Object floatToInt(double d, PgType to) {
        double r = Math.rint(d);
        long min = to == INT2 ? Short.MIN_VALUE : to == INT4 ? Integer.MIN_VALUE : Long.MIN_VALUE;
        long max = to == INT2 ? Short.MAX_VALUE : to == INT4 ? Integer.MAX_VALUE : Long.MAX_VALUE;
        if (Double.isNaN(r) || r < min || r >= (double) max + 1.0) {
            throw Builtins.outOfRange(to);
        }
        return OperatorCatalog.box((long) r, to);
    }

    static Object numericToInt(Object v, PgType to) {
        if (v == Numerics.NAN) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED,
                    "cannot convert NaN to " + (to == INT2 ? "smallint" : to == INT4 ? "integer" : "bigint"));
        }
        BigDecimal r = ((BigDecimal) v).setScale(0, RoundingMode.HALF_UP);
        long min = to == INT2 ? Short.MIN_VALUE : to == INT4 ? Integer.MIN_VALUE : Long.MIN_VALUE;
        long max = to == INT2 ? Short.MAX_VALUE : to == INT4 ? Integer.MAX_VALUE : Long.MAX_VALUE;
        if (r.compareTo(BigDecimal.valueOf(min)) < 0 || r.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw Builtins.outOfRange(to);
        }
        return OperatorCatalog.box(r.longValue(), to);
    }

    /** float8_numeric: print with DBL_DIG (FLT_DIG) significant digits, then numeric_in. */
    static Object floatToNumeric(double d, int digits) {
        if (Double.isNaN(d)) {
            return Numerics.NAN;
        }
        if (Double.isInfinite(d)) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "cannot convert infinity to numeric");
        }
        if (d == 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal b = new BigDecimal(d).round(new MathContext(digits, RoundingMode.HALF_EVEN)).stripTrailingZeros();
        return b.scale() < 0 ? b.setScale(0) : b;
    }
}
