package org.osgres.sql.types;

import java.math.BigDecimal;

/*
 * FloatFormat: float4 and float8 text output (PostgreSQL: utils/adt/float.c float8out_internal
 * with extra_float_digits > 0, and common/d2s.c / f2s.c, the Ryu shortest round-trip output).
 *
 * Java's Double.toString and Float.toString give the shortest round-trip digits (JDK 19+);
 * this class lays them out as Ryu's to_chars does: fixed notation when the decimal exponent
 * is in [-4, 15) for float8 or [-4, 6) for float4, else "1.5e+20" with at least two exponent
 * digits. Special values print as Infinity, -Infinity, NaN.
 *
 * Entry points: float8out(), float4out().
 */
public final class FloatFormat {
    private FloatFormat() {
    }

    public static String float8out(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0" : "0";
        }
        return layout(new BigDecimal(Double.toString(d)), 15);
    }

    public static String float4out(float f) {
        if (Float.isNaN(f)) {
            return "NaN";
        }
        if (Float.isInfinite(f)) {
            return f > 0 ? "Infinity" : "-Infinity";
        }
        if (f == 0) {
            return (1 / f < 0) ? "-0" : "0";
        }
        return layout(new BigDecimal(Float.toString(f)), 6);
    }

    private static String layout(BigDecimal v, int fixedLimit) {
        BigDecimal s = v.stripTrailingZeros();
        boolean negative = s.signum() < 0;
        String digits = s.unscaledValue().abs().toString();
        int exp10 = digits.length() - 1 - s.scale();
        StringBuilder sb = new StringBuilder();
        if (negative) {
            sb.append('-');
        }
        if (exp10 >= -4 && exp10 < fixedLimit) {
            sb.append(s.abs().toPlainString());
            return sb.toString();
        }
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        sb.append('e').append(exp10 < 0 ? '-' : '+');
        int ae = Math.abs(exp10);
        if (ae < 10) {
            sb.append('0');
        }
        sb.append(ae);
        return sb.toString();
    }
}
