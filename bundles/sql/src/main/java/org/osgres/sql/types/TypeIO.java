package org.osgres.sql.types;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

/*
 * TypeIO: the text input and output functions of the built-in types (PostgreSQL: int.c int4in
 * and int8.c, numutils.c pg_strtoint32, numeric.c numeric_in/out, float.c float8in/out,
 * bool.c boolin, varchar.c, varlena.c, date.c, timestamp.c; typmod coercion from
 * varchar.c and numeric.c apply_typmod).
 *
 * Entry points: input(type, typmod, text) (typinput), output(type, value) (typoutput),
 * applyTypmod(type, typmod, value, explicit) (the length coercion functions).
 * See also: BinaryIO -- the send/recv functions; FloatFormat -- float output.
 */
public final class TypeIO {
    private static final Pattern NUMERIC_TEXT = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    private TypeIO() {
    }

    /** typinput: parses text into a value of the type (the typmod is applied after). */
    public static Object input(PgType type, int typmod, String s) {
        Object v = switch (type) {
            case BOOL -> boolIn(s);
            case INT2 -> (short) intIn(s, Short.MIN_VALUE, Short.MAX_VALUE, "smallint");
            case INT4 -> (int) intIn(s, Integer.MIN_VALUE, Integer.MAX_VALUE, "integer");
            case INT8 -> intIn(s, Long.MIN_VALUE, Long.MAX_VALUE, "bigint");
            case OID -> oidIn(s);
            case NUMERIC -> numericIn(s);
            case FLOAT4 -> (float) floatIn(s, "real", true);
            case FLOAT8 -> floatIn(s, "double precision", false);
            case TEXT, VARCHAR, BPCHAR, UNKNOWN -> s;
            case NAME -> truncateName(s);
            case BYTEA -> byteaIn(s);
            case DATE -> dateIn(s);
            case TIMESTAMP -> timestampIn(s);
            case TIMESTAMPTZ -> timestamptzIn(s);
            case PG_LSN -> PgLsn.in(s);
            default -> throw new PgException(SqlState.FEATURE_NOT_SUPPORTED,
                    "cannot accept a value of type " + type.displayName());
        };
        return applyTypmod(type, typmod, v, true);
    }

    /** typoutput. */
    public static String output(PgType type, Object v, ZoneId zone) {
        return switch (type) {
            case BOOL -> ((Boolean) v) ? "t" : "f";
            case FLOAT4 -> FloatFormat.float4out((Float) v);
            case FLOAT8 -> FloatFormat.float8out((Double) v);
            case NUMERIC -> v == Numerics.NAN ? "NaN" : ((BigDecimal) v).toPlainString();
            case BYTEA -> "\\x" + HexFormat.of().formatHex((byte[]) v);
            case DATE -> dateOut((LocalDate) v);
            case TIMESTAMP -> timestampOut((LocalDateTime) v);
            case TIMESTAMPTZ -> timestamptzOut((OffsetDateTime) v, zone);
            case VOID -> "";
            case PG_LSN -> PgLsn.out((Long) v);
            case TEXT_ARRAY -> arrayOut((String[]) v);
            default -> v.toString();
        };
    }

    /** array_out() for a one-dimensional text[]: {a,b}, elements quoted where array_in would misread them. */
    public static String arrayOut(String[] elements) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < elements.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            String e = elements[i];
            if (e == null) {
                sb.append("NULL");
            } else if (needsQuotes(e)) {
                sb.append('"');
                for (int k = 0; k < e.length(); k++) {
                    char c = e.charAt(k);
                    if (c == '"' || c == '\\') {
                        sb.append('\\');
                    }
                    sb.append(c);
                }
                sb.append('"');
            } else {
                sb.append(e);
            }
        }
        return sb.append('}').toString();
    }

    private static boolean needsQuotes(String e) {
        if (e.isEmpty() || e.equalsIgnoreCase("NULL")) {
            return true;
        }
        for (int k = 0; k < e.length(); k++) {
            char c = e.charAt(k);
            if (c == '{' || c == '}' || c == ',' || c == '"' || c == '\\' || c == ' ' || c == '\t' || c == '\n'
                    || c == '\r' || c == 0x0b || c == '\f') {
                return true;
            }
        }
        return false;
    }

    /** The length coercion of varchar(n), bpchar(n) and numeric(p,s). */
    public static Object applyTypmod(PgType type, int typmod, Object v, boolean explicit) {
        if (typmod < 0 || v == null) {
            return v;
        }
        switch (type) {
            case VARCHAR: {
                String s = (String) v;
                int max = typmod - 4;
                if (s.codePointCount(0, s.length()) > max) {
                    String cut = s.substring(0, s.offsetByCodePoints(0, max));
                    if (!explicit && !s.substring(cut.length()).isBlank()) {
                        throw new PgException(SqlState.STRING_DATA_RIGHT_TRUNCATION,
                                "value too long for type character varying(" + max + ")");
                    }
                    return cut;
                }
                return s;
            }
            case BPCHAR: {
                String s = (String) v;
                int len = typmod - 4;
                int n = s.codePointCount(0, s.length());
                if (n > len) {
                    String cut = s.substring(0, s.offsetByCodePoints(0, len));
                    if (!explicit && !s.substring(cut.length()).isBlank()) {
                        throw new PgException(SqlState.STRING_DATA_RIGHT_TRUNCATION,
                                "value too long for type character(" + len + ")");
                    }
                    return cut;
                }
                return s + " ".repeat(len - n);
            }
            case NUMERIC:
                return v == Numerics.NAN ? v : Numerics.applyTypmod((BigDecimal) v, typmod);
            default:
                return v;
        }
    }

    static PgException invalidSyntax(String typeName, String s) {
        return new PgException(SqlState.INVALID_TEXT_REPRESENTATION,
                "invalid input syntax for type " + typeName + ": \"" + s + "\"");
    }

    /** pg_strtoint16/32/64: optional whitespace and sign, decimal digits. */
    public static long intIn(String s, long min, long max, String typeName) {
        String t = s.strip();
        int i = 0;
        boolean neg = false;
        if (!t.isEmpty() && (t.charAt(0) == '+' || t.charAt(0) == '-')) {
            neg = t.charAt(0) == '-';
            i = 1;
        }
        if (i >= t.length()) {
            throw invalidSyntax(typeName, s);
        }
        for (int j = i; j < t.length(); j++) {
            if (t.charAt(j) < '0' || t.charAt(j) > '9') {
                throw invalidSyntax(typeName, s);
            }
        }
        BigInteger b = new BigInteger(t.substring(i));
        if (neg) {
            b = b.negate();
        }
        if (b.bitLength() > 63 || b.longValue() < min || b.longValue() > max) {
            throw new PgException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                    "value \"" + s + "\" is out of range for type " + typeName);
        }
        return b.longValue();
    }

    private static long oidIn(String s) {
        long v;
        try {
            v = intIn(s, Integer.MIN_VALUE, 0xffffffffL, "oid");
        } catch (PgException e) {
            if (e.sqlState() == SqlState.NUMERIC_VALUE_OUT_OF_RANGE) {
                throw e;
            }
            throw invalidSyntax("oid", s);
        }
        return v & 0xffffffffL;
    }

    public static Object numericIn(String s) {
        String t = s.strip();
        if (t.equalsIgnoreCase("nan")) {
            return Numerics.NAN;
        }
        if (!NUMERIC_TEXT.matcher(t).matches()) {
            throw invalidSyntax("numeric", s);
        }
        BigDecimal d = new BigDecimal(t);
        return d.scale() < 0 ? d.setScale(0) : d;
    }

    private static double floatIn(String s, String typeName, boolean single) {
        String t = s.strip();
        String l = t.toLowerCase(Locale.ROOT);
        switch (l) {
            case "nan", "+nan", "-nan":
                return Double.NaN;
            case "infinity", "+infinity", "inf", "+inf":
                return Double.POSITIVE_INFINITY;
            case "-infinity", "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        if (!NUMERIC_TEXT.matcher(t).matches()) {
            throw invalidSyntax(typeName, s);
        }
        double d = Double.parseDouble(t);
        float f = (float) d;
        if (Double.isInfinite(d) || (single && Float.isInfinite(f))
                || (d == 0 && new BigDecimal(t).signum() != 0)) {
            throw new PgException(SqlState.NUMERIC_VALUE_OUT_OF_RANGE,
                    "\"" + s + "\" is out of range for type " + typeName);
        }
        return single ? Float.parseFloat(t) : d;
    }

    /** boolin: t, true, y, yes, on, 1 and their opposites, case-insensitive, unique prefixes. */
    public static boolean boolIn(String s) {
        String t = s.strip().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) {
            if ("true".startsWith(t) || "yes".startsWith(t) || t.equals("on") || t.equals("1")) {
                return true;
            }
            if ("false".startsWith(t) || "no".startsWith(t) || (t.length() >= 2 && "off".startsWith(t))
                    || t.equals("0")) {
                return false;
            }
        }
        throw invalidSyntax("boolean", s);
    }

    /** NAMEDATALEN - 1 bytes, cut at a character boundary. */
    public static String truncateName(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= 63) {
            return s;
        }
        int end = 0;
        int bytes = 0;
        while (end < s.length()) {
            int cp = s.codePointAt(end);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > 63) {
                break;
            }
            bytes += n;
            end += Character.charCount(cp);
        }
        return s.substring(0, end);
    }

    private static byte[] byteaIn(String s) {
        if (s.startsWith("\\x")) {
            try {
                return HexFormat.of().parseHex(s.substring(2).replace(" ", ""));
            } catch (IllegalArgumentException e) {
                throw invalidSyntax("bytea", s);
            }
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static LocalDate dateIn(String s) {
        try {
            return LocalDate.parse(s.strip());
        } catch (DateTimeParseException e) {
            throw invalidSyntax("date", s);
        }
    }

    private static LocalDateTime timestampIn(String s) {
        String t = s.strip().replace('T', ' ');
        // timestamp without time zone ignores a zone written after the time (DecodeDateTime)
        t = t.replaceFirst("(\\d\\d:\\d\\d(:\\d\\d(\\.\\d+)?)?)\\s*([+-]\\d\\d(:?\\d\\d)?|Z|UTC)$", "$1");
        try {
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay();
            }
            return LocalDateTime.parse(t.replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            throw invalidSyntax("timestamp", s);
        }
    }

    private static OffsetDateTime timestamptzIn(String s) {
        String t = s.strip().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(t.matches(".*[+-]\\d\\d$") ? t + ":00" : t);
        } catch (DateTimeParseException e) {
            try {
                return timestampIn(s).atOffset(ZoneOffset.UTC);
            } catch (PgException e2) {
                throw invalidSyntax("timestamp with time zone", s);
            }
        }
    }

    private static String dateOut(LocalDate d) {
        return d.toString();
    }

    private static String fraction(int nanos) {
        if (nanos == 0) {
            return "";
        }
        String f = String.format("%06d", nanos / 1000);
        int end = f.length();
        while (end > 0 && f.charAt(end - 1) == '0') {
            end--;
        }
        return end == 0 ? "" : "." + f.substring(0, end);
    }

    private static String timestampOut(LocalDateTime t) {
        return DATE_TIME.format(t) + fraction(t.getNano());
    }

    private static String timestamptzOut(OffsetDateTime t, ZoneId zone) {
        OffsetDateTime z = t.atZoneSameInstant(zone == null ? ZoneOffset.UTC : zone).toOffsetDateTime();
        int secs = z.getOffset().getTotalSeconds();
        String sign = secs < 0 ? "-" : "+";
        secs = Math.abs(secs);
        String off = sign + String.format("%02d", secs / 3600);
        if (secs % 3600 != 0) {
            off += String.format(":%02d", (secs % 3600) / 60);
        }
        return DATE_TIME.format(z) + fraction(z.getNano()) + off;
    }
}
