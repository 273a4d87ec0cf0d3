package org.osgres.sql.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

/*
 * Numerics: numeric arithmetic with PostgreSQL's result scales (PostgreSQL:
 * utils/adt/numeric.c: add_var, mul_var, div_var with select_div_scale, mod_var, sqrt_var,
 * power_var, exp_var, ln_var, round_var, apply_typmod).
 *
 * numeric values are BigDecimal whose scale is PostgreSQL's dscale; NaN is Numerics.NAN.
 * Rounding is half away from zero, as PostgreSQL's round_var. Scales are computed from the
 * NBASE (10000) weight of the operands, as numeric.c does, so 1.0/3 prints 20 decimals.
 *
 * Entry points: add(), sub(), mul(), div(), mod(), sqrt(), power(), exp(), ln(), round(),
 * applyTypmod(), nbaseWeight().
 */
public final class Numerics {
    /** numeric 'NaN'. */
    public static final Object NAN = new Object() {
        @Override
        public String toString() {
            return "NaN";
        }
    };

    static final int NUMERIC_MIN_SIG_DIGITS = 16;
    static final int NUMERIC_MAX_DISPLAY_SCALE = 1000;
    static final int DEC_DIGITS = 4;
    private static final BigDecimal NBASE = BigDecimal.valueOf(10000);

    private Numerics() {
    }

    public static BigDecimal add(BigDecimal a, BigDecimal b) {
        return a.add(b);
    }

    public static BigDecimal sub(BigDecimal a, BigDecimal b) {
        return a.subtract(b);
    }

    public static BigDecimal mul(BigDecimal a, BigDecimal b) {
        return a.multiply(b);
    }

    /** The NBASE weight of the first non-zero digit (0 for zero), as numeric.c stores it. */
    public static int nbaseWeight(BigDecimal v) {
        if (v.signum() == 0) {
            return 0;
        }
        int exp10 = v.precision() - v.scale() - 1;
        return Math.floorDiv(exp10, DEC_DIGITS);
    }

    /** The first NBASE digit (1..9999) of a non-zero value. */
    private static int firstDigit(BigDecimal v, int weight) {
        return v.abs().movePointLeft(weight * DEC_DIGITS).setScale(0, RoundingMode.FLOOR).intValue();
    }

    /** select_div_scale(). */
    static int selectDivScale(BigDecimal a, BigDecimal b) {
        int w1 = 0;
        int f1 = 0;
        if (a.signum() != 0) {
            w1 = nbaseWeight(a);
            f1 = firstDigit(a, w1);
        }
        int w2 = 0;
        int f2 = 0;
        if (b.signum() != 0) {
            w2 = nbaseWeight(b);
            f2 = firstDigit(b, w2);
        }
        int qweight = w1 - w2;
        if (f1 <= f2) {
            qweight--;
        }
        int rscale = NUMERIC_MIN_SIG_DIGITS - qweight * DEC_DIGITS;
        rscale = Math.max(rscale, Math.max(a.scale(), 0));
        rscale = Math.max(rscale, Math.max(b.scale(), 0));
        rscale = Math.max(rscale, 0);
        return Math.min(rscale, NUMERIC_MAX_DISPLAY_SCALE);
    }

    public static BigDecimal div(BigDecimal a, BigDecimal b) {
        if (b.signum() == 0) {
            throw divisionByZero();
        }
        return a.divide(b, selectDivScale(a, b), RoundingMode.HALF_UP);
    }

    /** numeric_div_trunc (div()): the integral quotient, truncated. */
    public static BigDecimal divTrunc(BigDecimal a, BigDecimal b) {
        if (b.signum() == 0) {
            throw divisionByZero();
        }
        return a.divide(b, 0, RoundingMode.DOWN);
    }

    public static BigDecimal mod(BigDecimal a, BigDecimal b) {
        if (b.signum() == 0) {
            throw divisionByZero();
        }
        BigDecimal r = a.remainder(b);
        int scale = Math.max(a.scale(), b.scale());
        return r.setScale(scale, RoundingMode.UNNECESSARY);
    }

    /** numeric_sqrt: scale from the argument's NBASE weight. */
    public static BigDecimal sqrt(BigDecimal a) {
        if (a.signum() < 0) {
            throw new PgException(SqlState.INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                    "cannot take square root of a negative number");
        }
        int weight = nbaseWeight(a);
        int sweight = (weight + 1) * DEC_DIGITS / 2 - 1;
        int rscale = NUMERIC_MIN_SIG_DIGITS - sweight;
        rscale = Math.max(rscale, a.scale());
        rscale = Math.max(rscale, 0);
        rscale = Math.min(rscale, NUMERIC_MAX_DISPLAY_SCALE);
        return a.sqrt(new MathContext(rscale + a.precision() + 20)).setScale(rscale, RoundingMode.HALF_UP);
    }

    /** numeric_exp. */
    public static BigDecimal exp(BigDecimal a) {
        double val = a.doubleValue();
        int dweight = (int) (val * 0.434294481903252);
        int rscale = NUMERIC_MIN_SIG_DIGITS - dweight;
        rscale = Math.max(rscale, a.scale());
        rscale = Math.max(rscale, 0);
        rscale = Math.min(rscale, NUMERIC_MAX_DISPLAY_SCALE);
        return expBig(a, rscale + 10).setScale(rscale, RoundingMode.HALF_UP);
    }

    private static BigDecimal expBig(BigDecimal x, int scale) {
        MathContext mc = new MathContext(scale + 30);
        int k = 0;
        BigDecimal y = x;
        while (y.abs().compareTo(BigDecimal.valueOf(0.5)) > 0) {
            y = y.divide(BigDecimal.valueOf(2), mc);
            k++;
        }
        BigDecimal sum = BigDecimal.ONE;
        BigDecimal term = BigDecimal.ONE;
        for (int i = 1; i < 2000; i++) {
            term = term.multiply(y, mc).divide(BigDecimal.valueOf(i), mc);
            sum = sum.add(term, mc);
            if (term.abs().compareTo(BigDecimal.ONE.movePointLeft(scale + 25)) < 0) {
                break;
            }
        }
        for (int i = 0; i < k; i++) {
            sum = sum.multiply(sum, mc);
        }
        return sum;
    }

    /** numeric power with an integral exponent or a general one, with power_var's result scale. */
    public static BigDecimal power(BigDecimal base, BigDecimal exp) {
        if (base.signum() == 0 && exp.signum() < 0) {
            throw new PgException(SqlState.INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                    "zero raised to a negative power is undefined");
        }
        boolean integral = exp.stripTrailingZeros().scale() <= 0;
        if (base.signum() < 0 && !integral) {
            throw new PgException(SqlState.INVALID_ARGUMENT_FOR_POWER_FUNCTION,
                    "a negative number raised to a non-integer power yields a complex result");
        }
        double val = Math.log10(Math.abs(base.doubleValue() == 0 ? 1 : base.doubleValue())) * exp.doubleValue();
        int rscale = NUMERIC_MIN_SIG_DIGITS - (int) val;
        rscale = Math.max(rscale, base.scale());
        rscale = Math.max(rscale, exp.scale());
        rscale = Math.max(rscale, 0);
        rscale = Math.min(rscale, NUMERIC_MAX_DISPLAY_SCALE);
        if (integral && exp.abs().compareTo(BigDecimal.valueOf(100000)) < 0) {
            int n = exp.intValueExact();
            MathContext mc = new MathContext(rscale + base.precision() * Math.abs(n) + 10);
            BigDecimal r = n >= 0 ? base.pow(n, mc) : BigDecimal.ONE.divide(base.pow(-n, mc), mc);
            return r.setScale(rscale, RoundingMode.HALF_UP);
        }
        BigDecimal ln = lnBig(base, rscale + 20);
        return expBig(ln.multiply(exp), rscale + 10).setScale(rscale, RoundingMode.HALF_UP);
    }

    /** numeric_ln. */
    public static BigDecimal ln(BigDecimal a) {
        if (a.signum() == 0) {
            throw new PgException(SqlState.INVALID_ARGUMENT_FOR_LOG, "cannot take logarithm of zero");
        }
        if (a.signum() < 0) {
            throw new PgException(SqlState.INVALID_ARGUMENT_FOR_LOG, "cannot take logarithm of a negative number");
        }
        int dec = a.precision() - a.scale() - 1;
        int lnDweight = dec == 0 ? 0 : (int) Math.log10(Math.abs(dec * 2.302585092994046));
        int rscale = NUMERIC_MIN_SIG_DIGITS - lnDweight;
        rscale = Math.max(rscale, a.scale());
        rscale = Math.max(rscale, 0);
        rscale = Math.min(rscale, NUMERIC_MAX_DISPLAY_SCALE);
        return lnBig(a, rscale + 10).setScale(rscale, RoundingMode.HALF_UP);
    }

    private static BigDecimal lnBig(BigDecimal x, int scale) {
        MathContext mc = new MathContext(scale + 30);
        // reduce: x = m * 2^k with m near 1
        int k = 0;
        BigDecimal two = BigDecimal.valueOf(2);
        while (x.compareTo(two) > 0) {
            x = x.divide(two, mc);
            k++;
        }
        while (x.compareTo(BigDecimal.valueOf(0.5)) < 0) {
            x = x.multiply(two, mc);
            k--;
        }
        // ln(x) = 2 atanh((x-1)/(x+1))
        BigDecimal z = x.subtract(BigDecimal.ONE).divide(x.add(BigDecimal.ONE), mc);
        BigDecimal z2 = z.multiply(z, mc);
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal term = z;
        for (int i = 1; i < 100000; i += 2) {
            BigDecimal t = term.divide(BigDecimal.valueOf(i), mc);
            sum = sum.add(t, mc);
            if (t.abs().compareTo(BigDecimal.ONE.movePointLeft(scale + 25)) < 0) {
                break;
            }
            term = term.multiply(z2, mc);
        }
        BigDecimal result = sum.multiply(two, mc);
        if (k != 0) {
            result = result.add(ln2(mc).multiply(BigDecimal.valueOf(k), mc), mc);
        }
        return result;
    }

    private static BigDecimal ln2(MathContext mc) {
        // ln 2 = 2 atanh(1/3)
        BigDecimal z = BigDecimal.ONE.divide(BigDecimal.valueOf(3), mc);
        BigDecimal z2 = z.multiply(z, mc);
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal term = z;
        for (int i = 1; i < 100000; i += 2) {
            BigDecimal t = term.divide(BigDecimal.valueOf(i), mc);
            sum = sum.add(t, mc);
            if (t.signum() == 0 || t.abs().compareTo(BigDecimal.ONE.movePointLeft(mc.getPrecision() + 2)) < 0) {
                break;
            }
            term = term.multiply(z2, mc);
        }
        return sum.multiply(BigDecimal.valueOf(2), mc);
    }

    /** round(numeric, int): half away from zero; a negative scale rounds left of the point. */
    public static BigDecimal round(BigDecimal a, int scale) {
        scale = Math.min(scale, NUMERIC_MAX_DISPLAY_SCALE);
        BigDecimal r = a.setScale(scale, RoundingMode.HALF_UP);
        return scale < 0 ? r.setScale(0) : r;
    }

    public static BigDecimal trunc(BigDecimal a, int scale) {
        BigDecimal r = a.setScale(scale, RoundingMode.DOWN);
        return scale < 0 ? r.setScale(0) : r;
    }

    /** apply_typmod(): round to the scale, then check the precision. */
    public static BigDecimal applyTypmod(BigDecimal v, int typmod) {
        if (typmod < 4) {
            return v;
        }
        int precision = ((typmod - 4) >> 16) & 0xffff;
        int scale = (typmod - 4) & 0xffff;
        BigDecimal r = v.setScale(scale, RoundingMode.HALF_UP);
        int maxdigits = precision - scale;
        if (r.signum() != 0 && r.precision() - r.scale() > maxdigits) {
            throw new PgException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, "numeric field overflow")
                    .withDetail("A field with precision " + precision + ", scale " + scale
                            + " must round to an absolute value less than "
                            + (maxdigits == 0 ? "1" : "10^" + maxdigits) + ".");
        }
        return r;
    }

    /** numeric to an integer type: half away from zero, then a range check. */
    public static long toLong(BigDecimal v, long min, long max, String typeName) {
        BigInteger i = v.setScale(0, RoundingMode.HALF_UP).toBigInteger();
        if (i.bitLength() > 63 || i.longValue() < min || i.longValue() > max) {
            throw new PgException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE, typeName + " out of range");
        }
        return i.longValue();
    }

    public static PgException divisionByZero() {
        return new PgException(SqlState.DIVISION_BY_ZERO, "division by zero");
    }

    static BigDecimal nbase() {
        return NBASE;
    }
}
