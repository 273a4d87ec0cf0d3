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

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.LongBinaryOperator;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.exec.Builtins;
import org.osgres.sql.exec.Nodes;
import org.osgres.sql.types.Numerics;
import org.osgres.sql.types.PgType;

/*
 * OperatorCatalog: the built-in operators (PostgreSQL: catalog/pg_operator.dat with the bodies
 * from utils/adt/int.c, int8.c, float.c, numeric.c, varlena.c, like.c, bool.c).
 *
 * Integer operators exist for every pair of int2/int4/int8 (int24pl, int48mul, ...) and yield
 * the wider type; float4/float8 likewise; numeric only with itself, so 1 + 1.5 resolves to
 * numeric + numeric. Overflow raises 22003 "integer out of range" and friends, division by
 * zero 22012.
 *
 * Entry points: register().
 */
final class OperatorCatalog {
    private static final List<PgType> INTS = List.of(INT2, INT4, INT8);
    private static final List<PgType> FLOATS = List.of(FLOAT4, FLOAT8);

    private OperatorCatalog() {
    }

    static void register(Catalog c) {
        integerOps(c);
        floatOps(c);
        numericOps(c);
        comparisons(c);
        textOps(c);
        dateOps(c);
        c.op("-", null, INT2, INT2, (a, x) -> (short) narrow(-(long) (Short) a[0], INT2));
        c.op("-", null, INT4, INT4, (a, x) -> (int) narrow(-(long) (Integer) a[0], INT4));
        c.op("-", null, INT8, INT8, (a, x) -> Math.negateExact((Long) a[0]));
        c.op("-", null, FLOAT4, FLOAT4, (a, x) -> -(Float) a[0]);
        c.op("-", null, FLOAT8, FLOAT8, (a, x) -> -(Double) a[0]);
        c.op("-", null, NUMERIC, NUMERIC, (a, x) -> a[0] == Numerics.NAN ? a[0] : ((BigDecimal) a[0]).negate());
        for (PgType t : List.of(INT2, INT4, INT8, FLOAT4, FLOAT8, NUMERIC)) {
            c.op("+", null, t, t, (a, x) -> a[0]);
        }
    }

    static long asLong(Object o) {
        return ((Number) o).longValue();
    }

    static Object box(long v, PgType t) {
        return switch (t) {
            case INT2 -> (short) v;
            case INT4 -> (int) v;
            default -> v;
        };
    }

    static long narrow(long v, PgType t) {
        if (t == INT2 && (v < Short.MIN_VALUE || v > Short.MAX_VALUE)) {
            throw Builtins.outOfRange(INT2);
        }
        if (t == INT4 && (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE)) {
            throw Builtins.outOfRange(INT4);
        }
        return v;
    }

    private static PgType wider(PgType a, PgType b) {
        return INTS.indexOf(a) >= INTS.indexOf(b) ? a : b;
    }

    private static void integerOps(Catalog c) {
        for (PgType l : INTS) {
            for (PgType r : INTS) {
                PgType res = wider(l, r);
                c.op("+", l, r, res, intOp(res, Math::addExact));
                c.op("-", l, r, res, intOp(res, Math::subtractExact));
                c.op("*", l, r, res, intOp(res, Math::multiplyExact));
                c.op("/", l, r, res, intOp(res, (x, y) -> {
                    if (y == 0) {
                        throw Numerics.divisionByZero();
                    }
                    if (x == Long.MIN_VALUE && y == -1) {
                        throw Builtins.outOfRange(INT8);
                    }
                    return x / y;
                }));
                if (l == r) {
                    c.op("%", l, r, res, intOp(res, (x, y) -> {
                        if (y == 0) {
                            throw Numerics.divisionByZero();
                        }
                        return y == -1 ? 0 : x % y;
                    }));
                }
            }
        }
    }

    private static Nodes.Impl intOp(PgType res, LongBinaryOperator op) {
        return (a, x) -> {
            long v;
            try {
                v = op.applyAsLong(asLong(a[0]), asLong(a[1]));
            } catch (ArithmeticException e) {
                throw Builtins.outOfRange(res);
            }
            return box(narrow(v, res), res);
        };
    }

    private static void floatOps(Catalog c) {
        for (PgType l : FLOATS) {
            for (PgType r : FLOATS) {
                PgType res = l == FLOAT4 && r == FLOAT4 ? FLOAT4 : FLOAT8;
                c.op("+", l, r, res, floatOp(res, '+'));
                c.op("-", l, r, res, floatOp(res, '-'));
                c.op("*", l, r, res, floatOp(res, '*'));
                c.op("/", l, r, res, floatOp(res, '/'));
            }
        }
        c.op("^", FLOAT8, FLOAT8, FLOAT8, (a, x) -> Builtins.dpow((Double) a[0], (Double) a[1]));
    }

    private static Nodes.Impl floatOp(PgType res, char op) {
        return (a, x) -> {
            double l = ((Number) a[0]).doubleValue();
            double r = ((Number) a[1]).doubleValue();
            double v;
            switch (op) {
                case '+' -> v = l + r;
                case '-' -> v = l - r;
                case '*' -> v = l * r;
                default -> {
                    if (r == 0) {
                        throw Numerics.divisionByZero();
                    }
                    v = l / r;
                }
            }
            if (res == FLOAT4) {
                float f = (float) v;
                Builtins.checkFloat(f, Float.isInfinite((Float) a[0]) || Float.isInfinite((Float) a[1]),
                        f == 0 && (op == '*' ? l != 0 && r != 0 : op == '/' && l != 0));
                return f;
            }
            Builtins.checkFloat(v, Double.isInfinite(l) || Double.isInfinite(r),
                    v == 0 && (op == '*' ? l != 0 && r != 0 : op == '/' && l != 0));
            return v;
        };
    }

    private static void numericOps(Catalog c) {
        c.op("+", NUMERIC, NUMERIC, NUMERIC, Builtins.numeric(Numerics::add));
        c.op("-", NUMERIC, NUMERIC, NUMERIC, Builtins.numeric(Numerics::sub));
        c.op("*", NUMERIC, NUMERIC, NUMERIC, Builtins.numeric(Numerics::mul));
        c.op("/", NUMERIC, NUMERIC, NUMERIC, Builtins.numeric(Numerics::div));
        c.op("%", NUMERIC, NUMERIC, NUMERIC, Builtins.numeric(Numerics::mod));
        c.op("^", NUMERIC, NUMERIC, NUMERIC, Builtins.numeric(Numerics::power));
    }

    private static void comparisons(Catalog c) {
        for (PgType l : INTS) {
            for (PgType r : INTS) {
                compareSet(c, l, r, Comparator.comparingLong(OperatorCatalog::asLong));
            }
        }
        for (PgType l : FLOATS) {
            for (PgType r : FLOATS) {
                compareSet(c, l, r, (a, b) -> Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue()));
            }
        }
        compareSet(c, NUMERIC, NUMERIC, Builtins::compareNumeric);
        compareSet(c, BOOL, BOOL, (a, b) -> Boolean.compare((Boolean) a, (Boolean) b));
        compareSet(c, OID, OID, (a, b) -> Long.compare((Long) a, (Long) b));
        Comparator<Object> text = (a, b) -> ((String) a).compareTo((String) b);
        compareSet(c, TEXT, TEXT, text);
        compareSet(c, NAME, NAME, text);
        compareSet(c, NAME, TEXT, text);
        compareSet(c, TEXT, NAME, text);
        compareSet(c, BPCHAR, BPCHAR, (a, b) -> Builtins.bpcharStrip((String) a).compareTo(Builtins.bpcharStrip((String) b)));
        compareSet(c, DATE, DATE, (a, b) -> ((java.time.LocalDate) a).compareTo((java.time.LocalDate) b));
        compareSet(c, TIMESTAMP, TIMESTAMP,
                (a, b) -> ((java.time.LocalDateTime) a).compareTo((java.time.LocalDateTime) b));
        compareSet(c, TIMESTAMPTZ, TIMESTAMPTZ,
                (a, b) -> ((java.time.OffsetDateTime) a).toInstant().compareTo(((java.time.OffsetDateTime) b).toInstant()));
    }

    private static void compareSet(Catalog c, PgType l, PgType r, Comparator<Object> cmp) {
        cmpOp(c, "=", l, r, cmp, v -> v == 0);
        cmpOp(c, "<>", l, r, cmp, v -> v != 0);
        cmpOp(c, "<", l, r, cmp, v -> v < 0);
        cmpOp(c, ">", l, r, cmp, v -> v > 0);
        cmpOp(c, "<=", l, r, cmp, v -> v <= 0);
        cmpOp(c, ">=", l, r, cmp, v -> v >= 0);
    }

    private static void cmpOp(Catalog c, String name, PgType l, PgType r, Comparator<Object> cmp, IntPredicate test) {
        c.op(name, l, r, BOOL, (a, x) -> test.test(cmp.compare(a[0], a[1])));
    }

    /** date_pli, date_mii, date_mi: days added to or between dates. */
    private static void dateOps(Catalog c) {
        c.op("+", DATE, INT4, DATE, (a, x) -> ((java.time.LocalDate) a[0]).plusDays((Integer) a[1]));
        c.op("+", INT4, DATE, DATE, (a, x) -> ((java.time.LocalDate) a[1]).plusDays((Integer) a[0]));
        c.op("-", DATE, INT4, DATE, (a, x) -> ((java.time.LocalDate) a[0]).minusDays((Integer) a[1]));
        c.op("-", DATE, DATE, INT4, (a, x) -> (int) java.time.temporal.ChronoUnit.DAYS.between(
                (java.time.LocalDate) a[1], (java.time.LocalDate) a[0]));
    }

    private static void textOps(Catalog c) {
        c.op("||", TEXT, TEXT, TEXT, (a, x) -> (String) a[0] + a[1]);
        c.op("||", TEXT, PgType.ANY, TEXT, (a, x) -> (String) a[0] + Builtins.anyText(a[1], x));
        c.op("||", PgType.ANY, TEXT, TEXT, (a, x) -> Builtins.anyText(a[0], x) + a[1]);
        for (PgType t : List.of(TEXT, BPCHAR, NAME)) {
            c.op("~~", t, TEXT, BOOL, (a, x) -> Builtins.like((String) a[0], (String) a[1], false));
            c.op("!~~", t, TEXT, BOOL, (a, x) -> !Builtins.like((String) a[0], (String) a[1], false));
            c.op("~~*", t, TEXT, BOOL, (a, x) -> Builtins.like((String) a[0], (String) a[1], true));
            c.op("!~~*", t, TEXT, BOOL, (a, x) -> !Builtins.like((String) a[0], (String) a[1], true));
        }
    }

    static PgException notSupported(String what) {
        return new PgException(SqlState.FEATURE_NOT_SUPPORTED, what);
    }
}
