/*
 * CNumbers: the C library number routines that guc.c relies on, reproduced so that osgres reads
 * and prints numbers exactly as PostgreSQL does: strtol(..., 0), strtod() and printf's "%g".
 *
 * Entry points: strtol(), strtod(), formatG(), isSpace().
 */
package org.osgres.config.guc;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public final class CNumbers {
    /** What strtol/strtod found: the value, where parsing stopped, and whether it overflowed. */
    public record Parsed(double value, int end, boolean range) {
    }

    private static final Pattern DECIMAL_FLOAT =
            Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern HEX_FLOAT =
            Pattern.compile("[+-]?0[xX]([0-9a-fA-F]+\\.?[0-9a-fA-F]*|\\.[0-9a-fA-F]+)([pP][+-]?\\d+)?");
    private static final Pattern INF_NAN = Pattern.compile("(?i)[+-]?(infinity|inf|nan)");

    private CNumbers() {
    }

    /** C's isspace() in the C locale. */
    public static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000b' || c == '\f' || c == '\r';
    }

    /**
     * strtol(s, &end, 0): leading white space, a sign, then hex (0x), octal (leading 0) or
     * decimal digits. end is 0 when there are no digits at all.
     */
    public static Parsed strtol(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        boolean negative = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        int radix = 10;
        if (i + 2 < n && s.charAt(i) == '0' && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
                && Character.digit(s.charAt(i + 2), 16) >= 0) {
            radix = 16;
            i += 2;
        } else if (i < n && s.charAt(i) == '0') {
            radix = 8;
        }
        int start = i;
        long value = 0;
        boolean range = false;
        while (i < n && Character.digit(s.charAt(i), radix) >= 0 && s.charAt(i) < 128) {
            int d = Character.digit(s.charAt(i), radix);
            if (!range) {
                try {
                    value = Math.addExact(Math.multiplyExact(value, radix), d);
                } catch (ArithmeticException e) {
                    range = true;
                }
            }
            i++;
        }
        if (i == start) {
            return new Parsed(0, 0, false);
        }
        double v = negative ? -(double) value : (double) value;
        if (range) {
            v = negative ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return new Parsed(v, i, range);
    }

    /** strtod(s, &end): decimal or hex floating point, inf, nan. range on overflow or underflow. */
    public static Parsed strtod(String s) {
        int i = 0;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        String rest = s.substring(i);
        Matcher m = HEX_FLOAT.matcher(rest);
        if (m.lookingAt()) {
            String text = m.group();
            double v = Double.parseDouble(m.group(2) == null ? text + "p0" : text);
            return finish(v, text, i + m.end(), true);
        }
        m = DECIMAL_FLOAT.matcher(rest);
        if (m.lookingAt()) {
            double v = Double.parseDouble(m.group());
            return finish(v, m.group(), i + m.end(), false);
        }
        m = INF_NAN.matcher(rest);
        if (m.lookingAt()) {
            String word = m.group().toLowerCase();
            double v = word.contains("nan") ? Double.NaN
                    : word.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            return new Parsed(v, i + m.end(), false);
        }
        return new Parsed(0, 0, false);
    }

    private static Parsed finish(double v, String text, int end, boolean hex) {
        boolean range = Double.isInfinite(v);
        if (!range && (v == 0 || Math.abs(v) < Double.MIN_NORMAL)) {
            String digits = hex ? text.replaceAll("(?i)^[+-]?0x|[pP].*$", "") : text.replaceAll("[eE].*$", "");
            range = digits.chars().anyMatch(c -> c >= '1' && c <= '9' || hex && Character.digit(c, 16) > 0);
        }
        return new Parsed(v, end, range);
    }

    /** printf("%g", v): six significant digits, trailing zeros removed, e-notation outside 1e-4..1e6. */
    public static String formatG(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        BigDecimal bd = new BigDecimal(v).round(new MathContext(6, RoundingMode.HALF_EVEN));
        int exp = bd.precision() - bd.scale() - 1;
        if (exp < -4 || exp >= 6) {
            String digits = bd.unscaledValue().abs().toString().replaceAll("0+$", "");
            StringBuilder sb = new StringBuilder();
            if (bd.signum() < 0) {
                sb.append('-');
            }
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            if (a < 10) {
                sb.append('0');
            }
            sb.append(a);
            return sb.toString();
        }
        BigDecimal plain = bd.setScale(Math.max(0, 5 - exp), RoundingMode.HALF_EVEN).stripTrailingZeros();
        return plain.scale() < 0 ? plain.setScale(0).toPlainString() : plain.toPlainString();
    }
}
