/*
 * GucValues: reading and printing setting values (PostgreSQL: parse_bool(), parse_int(),
 * parse_real(), config_enum_lookup_by_name(), parse_and_validate_value() and _ShowOption() in
 * utils/misc/guc.c, plus the check hooks of the string settings osgres validates).
 *
 * parse() turns what SET, postgresql.conf or -c gives into the internal form: integers and reals
 * in the base unit without the unit, bools as on/off, enums as the stored label, strings as the
 * check hook leaves them ("iso, mdy" becomes "ISO, MDY"). display() is what SHOW prints.
 * Errors carry PostgreSQL's SQLSTATE, message, DETAIL and HINT, naming the setting as PostgreSQL
 * spells it (the record's name, e.g. "TimeZone", whatever case the user wrote).
 *
 * Entry points: parse(), display(), parseBool().
 * See also: GucUnits -- unit conversion; CheckHooks -- DateStyle, TimeZone, client_encoding.
 */
package org.osgres.config.guc;

import java.util.Locale;

import org.osgres.api.config.SettingDefinition;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

public final class GucValues {
    private static final String INTEGER_RANGE_HINT = "Value exceeds integer range.";

    private GucValues() {
    }

    /** The internal form of value for the setting, or PgException 22023 as PostgreSQL words it. */
    public static String parse(GucEntry entry, String value) {
        return parse(entry, value, null);
    }

    /**
     * As {@link #parse(GucEntry, String)}, for a setting whose new value depends on the one it
     * replaces (DateStyle: "SET DateStyle = SQL" keeps the field order).
     */
    public static String parse(GucEntry entry, String value, String current) {
        SettingDefinition def = entry.definition();
        String name = entry.displayName();
        return switch (def.type()) {
            case BOOL -> {
                Boolean b = parseBool(value);
                if (b == null) {
                    throw new PgException(SqlState.INVALID_PARAMETER_VALUE,
                            "parameter \"" + name + "\" requires a Boolean value");
                }
                yield b ? "on" : "off";
            }
            case INTEGER -> Integer.toString(parseInt(entry, value));
            case REAL -> CNumbers.formatG(parseReal(entry, value));
            case ENUM -> {
                String label = entry.enumLookup().get(value.toLowerCase(Locale.ROOT));
                if (label == null) {
                    throw invalidValue(name, value)
                            .withHint("Available values: " + String.join(", ", def.enumValues()) + ".");
                }
                yield label;
            }
            case STRING -> CheckHooks.check(entry, value, current);
        };
    }

    /** The display form (SHOW) of an internal value. */
    public static String display(GucEntry entry, String internal) {
        SettingDefinition def = entry.definition();
        if (internal == null) {
            return "";
        }
        switch (def.type()) {
            case INTEGER:
                long v;
                try {
                    v = Long.parseLong(internal);
                } catch (NumberFormatException e) {
                    return internal;
                }
                if (isOctalMode(def.name())) {
                    return String.format("%04o", v);
                }
                return GucUnits.fromBaseInt(v, def.unit());
            case REAL:
                try {
                    return GucUnits.fromBaseReal(Double.parseDouble(internal), def.unit());
                } catch (NumberFormatException e) {
                    return internal;
                }
            default:
                return internal;
        }
    }

    /** The show hooks that print file modes in octal (show_unix_socket_permissions, ...). */
    private static boolean isOctalMode(String name) {
        return name.equals("unix_socket_permissions") || name.equals("log_file_mode")
                || name.equals("data_directory_mode");
    }

    /**
     * PostgreSQL's parse_bool(): on, off, true, false, yes, no, 1, 0 and unique prefixes, in any
     * case; null when it is none of them.
     */
    public static Boolean parseBool(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String v = value.toLowerCase(Locale.ROOT);
        int len = v.length();
        switch (v.charAt(0)) {
            case 't':
                return "true".startsWith(v) ? Boolean.TRUE : null;
            case 'f':
                return "false".startsWith(v) ? Boolean.FALSE : null;
            case 'y':
                return "yes".startsWith(v) ? Boolean.TRUE : null;
            case 'n':
                return "no".startsWith(v) ? Boolean.FALSE : null;
            case 'o':
                if (len >= 2 && "on".startsWith(v)) {
                    return Boolean.TRUE;
                }
                return len >= 2 && "off".startsWith(v) ? Boolean.FALSE : null;
            case '1':
                return len == 1 ? Boolean.TRUE : null;
            case '0':
                return len == 1 ? Boolean.FALSE : null;
            default:
                return null;
        }
    }

    /** parse_int() and the range check of parse_and_validate_value(). */
    static int parseInt(GucEntry entry, String value) {
        SettingDefinition def = entry.definition();
        String name = entry.displayName();
        CNumbers.Parsed p = CNumbers.strtol(value);
        int end = p.end();
        if (end > 0 && end < value.length()) {
            char c = value.charAt(end);
            if (c == '.' || c == 'e' || c == 'E') {
                p = CNumbers.strtod(value);
            }
        } else if (p.range()) {
            p = CNumbers.strtod(value);
        }
        if (p.end() == 0 || p.range() || Double.isNaN(p.value())) {
            throw invalidValue(name, value);
        }
        double val = withUnit(entry, value, p);
        val = Math.rint(val);
        if (val > Integer.MAX_VALUE || val < Integer.MIN_VALUE) {
            throw invalidValue(name, value).withHint(INTEGER_RANGE_HINT);
        }
        int result = (int) val;
        long min = Long.parseLong(def.minValue());
        long max = Long.parseLong(def.maxValue());
        if (result < min || result > max) {
            String unit = def.unit().isEmpty() ? "" : " " + def.unit();
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE, result + unit
                    + " is outside the valid range for parameter \"" + name + "\" (" + min + " .. " + max + ")");
        }
        return result;
    }

    /** parse_real() and the range check of parse_and_validate_value(). */
    static double parseReal(GucEntry entry, String value) {
        SettingDefinition def = entry.definition();
        String name = entry.displayName();
        CNumbers.Parsed p = CNumbers.strtod(value);
        if (p.end() == 0 || p.range() || Double.isNaN(p.value())) {
            throw invalidValue(name, value);
        }
        double val = withUnit(entry, value, p);
        double min = Double.parseDouble(def.minValue());
        double max = Double.parseDouble(def.maxValue());
        if (max >= 1.79769e+308) {
            max = Double.MAX_VALUE;
        }
        if (min <= -1.79769e+308) {
            min = -Double.MAX_VALUE;
        }
        if (val < min || val > max) {
            String unit = def.unit().isEmpty() ? "" : " " + def.unit();
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE, CNumbers.formatG(val) + unit
                    + " is outside the valid range for parameter \"" + name + "\" (" + CNumbers.formatG(min)
                    + " .. " + CNumbers.formatG(max) + ")");
        }
        return val;
    }

    /** The number with the unit that follows it (if any) applied. */
    private static double withUnit(GucEntry entry, String value, CNumbers.Parsed p) {
        int i = p.end();
        while (i < value.length() && CNumbers.isSpace(value.charAt(i))) {
            i++;
        }
        if (i == value.length()) {
            return p.value();
        }
        String baseUnit = entry.definition().unit();
        if (GucUnits.table(baseUnit) == null) {
            throw invalidValue(entry.displayName(), value);
        }
        Double base = GucUnits.toBase(p.value(), value.substring(i), baseUnit);
        if (base == null) {
            throw invalidValue(entry.displayName(), value).withHint(GucUnits.hint(baseUnit));
        }
        return base;
    }

    static PgException invalidValue(String name, String value) {
        return new PgException(SqlState.INVALID_PARAMETER_VALUE,
                "invalid value for parameter \"" + name + "\": \"" + value + "\"");
    }
}
