/*
 * KeyDescription: "(a, b)=(1, x)" for unique violation details (PostgreSQL: access/index/genam.c
 * BuildIndexValueDescription, with each type's output function: boolout, int4out, float8out,
 * numeric_out, date_out and timestamp_out in the ISO DateStyle, textout, bpcharout).
 *
 * Column names are quoted as quote_identifier does when they are not plain lower-case
 * identifiers (reserved key words are not looked up). NULL prints as "null".
 *
 * Entry points: of(), outputText().
 */
package org.osgres.btree;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;

import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.TupleDesc;

final class KeyDescription {
    private KeyDescription() {
    }

    /** BuildIndexValueDescription: the column names, then the values. */
    static String of(TupleDesc desc, Object[] values) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < desc.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(quoteIdentifier(desc.get(i).name()));
        }
        sb.append(")=(");
        for (int i = 0; i < desc.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(values[i] == null ? "null" : outputText(desc.get(i), values[i]));
        }
        return sb.append(')').toString();
    }

    /** quote_identifier without the key word check. */
    static String quoteIdentifier(String name) {
        boolean safe = !name.isEmpty() && (Character.isLowerCase(name.charAt(0)) || name.charAt(0) == '_');
        for (int i = 0; safe && i < name.length(); i++) {
            char c = name.charAt(i);
            safe = c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_';
        }
        return safe ? name : "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** The type's output function. */
    static String outputText(Attribute att, Object v) {
        return switch (att.typeOid()) {
            case Attribute.BOOL -> ((Boolean) v) ? "t" : "f";
            case Attribute.FLOAT8 -> float8out(((Number) v).doubleValue());
            case Attribute.NUMERIC -> (v instanceof BigDecimal d ? d : new BigDecimal(v.toString())).toPlainString();
            case Attribute.DATE -> dateOut((LocalDate) v);
            case Attribute.TIMESTAMP -> timestampOut((LocalDateTime) v);
            default -> v.toString();
        };
    }

    /**
     * float8out with extra_float_digits 1 (the default): the shortest exact decimal, in "%g"
     * style: plain for decimal exponents -4 to 14, else d.ddde+XX.
     */
    static String float8out(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - bd.scale();
        String sign = d < 0 ? "-" : "";
        if (exp < -4 || exp >= 15) {
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            int e = Math.abs(exp);
            return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + (e < 10 ? "0" : "") + e;
        }
        return bd.toPlainString();
    }

    /** date_out, ISO: YYYY-MM-DD, with " BC" for years before 1. */
    static String dateOut(LocalDate d) {
        int year = d.getYear();
        String y = year > 0 ? pad(year, 4) : pad(1 - year, 4);
        return y + "-" + pad(d.getMonthValue(), 2) + "-" + pad(d.getDayOfMonth(), 2) + (year > 0 ? "" : " BC");
    }

    /** timestamp_out, ISO: the date, then HH:MM:SS and the fraction without trailing zeros. */
    static String timestampOut(LocalDateTime t) {
        int year = t.getYear();
        String y = year > 0 ? pad(year, 4) : pad(1 - year, 4);
        StringBuilder sb = new StringBuilder(y).append('-').append(pad(t.getMonthValue(), 2)).append('-')
                .append(pad(t.getDayOfMonth(), 2)).append(' ').append(pad(t.getHour(), 2)).append(':')
                .append(pad(t.getMinute(), 2)).append(':').append(pad(t.getSecond(), 2));
        int micros = t.getNano() / 1000;
        if (micros != 0) {
            String f = pad(micros, 6);
            int end = f.length();
            while (f.charAt(end - 1) == '0') {
                end--;
            }
            sb.append('.').append(f, 0, end);
        }
        if (year <= 0) {
            sb.append(" BC");
        }
        return sb.toString();
    }

    private static String pad(int v, int width) {
        String s = Integer.toString(v);
        return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
    }
}
