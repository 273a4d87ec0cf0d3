package org.osgres.sql.exec;

import java.math.BigDecimal;
import java.util.function.BinaryOperator;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.sql.types.Numerics;
import org.osgres.sql.types.PgType;

/*
 * Builtins: helpers the function and operator bodies share (PostgreSQL: float.c's
 * float_overflow_error / check_float8_val, numeric.c's NaN handling, like_match.c, bpchar's
 * trailing-space rules in varchar.c).
 *
 * Entry points: outOfRange(), checkFloat(), dpow(), numeric(), compareNumeric(), like(),
 * bpcharStrip(), anyText().
 */
public final class Builtins {
    private Builtins() {
    }

    /** "integer out of range", "smallint out of range", "bigint out of range". */
    public static PgException outOfRange(PgType t) {
        String name = switch (t) {
            case INT2 -> "smallint";
            case INT4 -> "integer";
            case INT8 -> "bigint";
            default -> t.displayName();
        };
        return new PgException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, name + " out of range");
    }

    /** check_float8_val: overflow unless an input was infinite, underflow when asked. */
    public static void checkFloat(double v, boolean inputInfinite, boolean underflow) {
        if (Double.isInfinite(v) && !inputInfinite) {
            throw new PgException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: overflow");
        }
        if (underflow) {
            throw new PgException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "value out of range: underflow");
        }
    }

    /** dpow (float8 ^ float8). */
    public static double dpow(double x, double y) {
        if (x == 0 && y < 0) {
            throw new PgException(SqlState.INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                    "zero raised to a negative power is undefined");
        }
        if (x < 0 && Math.floor(y) != y) {
            throw new PgException(SqlState.INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                    "a negative number raised to a non-integer power yields a complex result");
        }
        double r = Math.pow(x, y);
        checkFloat(r, Double.isInfinite(x) || Double.isInfinite(y), r == 0 && x != 0);
        return r;
    }

    /** A numeric binary operator; NaN in gives NaN out, as numeric.c does. */
    public static Nodes.Impl numeric(BinaryOperator<BigDecimal> op) {
        return (a, x) -> {
            if (a[0] == Numerics.NAN || a[1] == Numerics.NAN) {
                return Numerics.NAN;
            }
            return op.apply((BigDecimal) a[0], (BigDecimal) a[1]);
        };
    }

    /** numeric ordering: NaN sorts above every number and equals itself. */
    public static int compareNumeric(Object a, Object b) {
        if (a == Numerics.NAN || b == Numerics.NAN) {
            return a == b ? 0 : (a == Numerics.NAN ? 1 : -1);
        }
        return ((BigDecimal) a).compareTo((BigDecimal) b);
    }

    public static String bpcharStrip(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') {
            end--;
        }
        return s.substring(0, end);
    }

    /** A value already converted to text by the analyzer (the "any" arguments of || and concat). */
    public static String anyText(Object v, EvalContext ctx) {
        return v == null ? null : v.toString();
    }

    /** LIKE / ILIKE with backslash as the escape (like_match.c). */
    public static boolean like(String s, String pattern, boolean caseInsensitive) {
        if (caseInsensitive) {
            s = s.toLowerCase(java.util.Locale.ROOT);
            pattern = pattern.toLowerCase(java.util.Locale.ROOT);
        }
        return likeMatch(s, 0, pattern, 0);
    }

    private static boolean likeMatch(String s, int si, String p, int pi) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '%') {
                while (pi < p.length() && p.charAt(pi) == '%') {
                    pi++;
                }
                if (pi == p.length()) {
                    return true;
                }
                for (int k = si; k <= s.length(); k++) {
                    if (likeMatch(s, k, p, pi)) {
                        return true;
                    }
                }
                return false;
            }
            if (si >= s.length()) {
                return false;
            }
            if (c == '_') {
                si++;
                pi++;
                continue;
            }
            if (c == '\\') {
                pi++;
                if (pi >= p.length()) {
                    throw new PgException(SqlState.INVALID_ESCAPE_SEQUENCE,
                            "LIKE pattern must not end with escape character");
                }
                c = p.charAt(pi);
            }
            if (s.charAt(si) != c) {
                return false;
            }
            si++;
            pi++;
        }
        return si == s.length();
    }
}
