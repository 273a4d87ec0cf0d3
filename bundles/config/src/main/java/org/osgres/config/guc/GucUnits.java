/*
 * GucUnits: the unit conversion tables of integer and real settings (PostgreSQL:
 * memory_unit_conversion_table, time_unit_conversion_table, convert_to_base_unit(),
 * convert_int_from_base_unit() and convert_real_from_base_unit() in utils/misc/guc.c).
 *
 * Each setting has a base unit (pg_settings.unit: B, kB, MB, 8kB, ms, s, min). Input may name any
 * unit of the same kind; output picks the largest unit that divides the value evenly.
 *
 * Entry points: toBase(), fromBaseInt(), fromBaseReal(), hint().
 */
package org.osgres.config.guc;

import java.util.List;

public final class GucUnits {
    /** The HINT for a bad memory unit (memory_units_hint). */
    public static final String MEMORY_UNITS_HINT =
            "Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".";
    /** The HINT for a bad time unit (time_units_hint). */
    public static final String TIME_UNITS_HINT =
            "Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", and \"d\".";

    private static final int BLCKSZ = 8192;
    private static final int MAX_UNIT_LEN = 3;

    /** One row of a conversion table: a unit name and how many base units it is. */
    record Conversion(String unit, double multiplier) {
    }

    private static final List<Conversion> BYTES = List.of(
            new Conversion("TB", 1024.0 * 1024.0 * 1024.0 * 1024.0),
            new Conversion("GB", 1024.0 * 1024.0 * 1024.0),
            new Conversion("MB", 1024.0 * 1024.0),
            new Conversion("kB", 1024.0),
            new Conversion("B", 1.0));
    private static final List<Conversion> KB = List.of(
            new Conversion("TB", 1024.0 * 1024.0 * 1024.0),
            new Conversion("GB", 1024.0 * 1024.0),
            new Conversion("MB", 1024.0),
            new Conversion("kB", 1.0),
            new Conversion("B", 1.0 / 1024.0));
    private static final List<Conversion> MB = List.of(
            new Conversion("TB", 1024.0 * 1024.0),
            new Conversion("GB", 1024.0),
            new Conversion("MB", 1.0),
            new Conversion("kB", 1.0 / 1024.0),
            new Conversion("B", 1.0 / (1024.0 * 1024.0)));
    private static final List<Conversion> BLOCKS = List.of(
            new Conversion("TB", (1024.0 * 1024.0 * 1024.0) / (BLCKSZ / 1024)),
            new Conversion("GB", (1024.0 * 1024.0) / (BLCKSZ / 1024)),
            new Conversion("MB", 1024.0 / (BLCKSZ / 1024)),
            new Conversion("kB", 1.0 / (BLCKSZ / 1024)),
            new Conversion("B", 1.0 / BLCKSZ));
    private static final List<Conversion> MS = List.of(
            new Conversion("d", 1000 * 60 * 60 * 24),
            new Conversion("h", 1000 * 60 * 60),
            new Conversion("min", 1000 * 60),
            new Conversion("s", 1000),
            new Conversion("ms", 1),
            new Conversion("us", 1.0 / 1000));
    private static final List<Conversion> S = List.of(
            new Conversion("d", 60 * 60 * 24),
            new Conversion("h", 60 * 60),
            new Conversion("min", 60),
            new Conversion("s", 1),
            new Conversion("ms", 1.0 / 1000),
            new Conversion("us", 1.0 / (1000 * 1000)));
    private static final List<Conversion> MIN = List.of(
            new Conversion("d", 60 * 24),
            new Conversion("h", 60),
            new Conversion("min", 1),
            new Conversion("s", 1.0 / 60),
            new Conversion("ms", 1.0 / (1000 * 60)),
            new Conversion("us", 1.0 / (1000 * 1000 * 60)));

    private GucUnits() {
    }

    /** The conversion table for a base unit as pg_settings.unit spells it, or null for none. */
    static List<Conversion> table(String baseUnit) {
        return switch (baseUnit == null ? "" : baseUnit) {
            case "B" -> BYTES;
            case "kB" -> KB;
            case "MB" -> MB;
            case "8kB" -> BLOCKS;
            case "ms" -> MS;
            case "s" -> S;
            case "min" -> MIN;
            default -> null;
        };
    }

    /** True for the memory base units, whose bad-unit hint lists B..TB. */
    static boolean isMemory(String baseUnit) {
        return table(baseUnit) != null && !baseUnit.endsWith("s") && !baseUnit.equals("min");
    }

    /** The HINT for a bad unit of a setting with this base unit. */
    public static String hint(String baseUnit) {
        return isMemory(baseUnit) ? MEMORY_UNITS_HINT : TIME_UNITS_HINT;
    }

    /**
     * Converts value given in the unit named at the start of unitText to the base unit
     * (convert_to_base_unit). A fractional value is rounded to the next smaller unit, as
     * PostgreSQL does ("1.5s" for a ms setting, "30.1GB" for kB).
     *
     * @return the value in the base unit, or null when the unit is unknown or followed by garbage
     */
    static Double toBase(double value, String unitText, String baseUnit) {
        List<Conversion> table = table(baseUnit);
        int i = 0;
        StringBuilder unit = new StringBuilder();
        while (i < unitText.length() && !CNumbers.isSpace(unitText.charAt(i)) && unit.length() < MAX_UNIT_LEN) {
            unit.append(unitText.charAt(i++));
        }
        while (i < unitText.length() && CNumbers.isSpace(unitText.charAt(i))) {
            i++;
        }
        if (i < unitText.length() || table == null) {
            return null;
        }
        for (int k = 0; k < table.size(); k++) {
            if (table.get(k).unit().equals(unit.toString())) {
                double cvalue = value * table.get(k).multiplier();
                if (k + 1 < table.size()) {
                    double next = table.get(k + 1).multiplier();
                    cvalue = Math.rint(cvalue / next) * next;
                }
                return cvalue;
            }
        }
        return null;
    }

    /** An integer in the base unit as SHOW prints it (convert_int_from_base_unit), e.g. "128MB". */
    static String fromBaseInt(long baseValue, String baseUnit) {
        List<Conversion> table = table(baseUnit);
        if (table == null || baseValue <= 0) {
            return Long.toString(baseValue);
        }
        for (Conversion c : table) {
            if (c.multiplier() <= 1.0 || baseValue % (long) c.multiplier() == 0) {
                return (long) Math.rint(baseValue / c.multiplier()) + c.unit();
            }
        }
        return Long.toString(baseValue);
    }

    /** A real in the base unit as SHOW prints it (convert_real_from_base_unit), e.g. "1500us". */
    static String fromBaseReal(double baseValue, String baseUnit) {
        List<Conversion> table = table(baseUnit);
        if (table == null || !(baseValue > 0)) {
            return CNumbers.formatG(baseValue);
        }
        double value = baseValue;
        String unit = "";
        for (Conversion c : table) {
            value = baseValue / c.multiplier();
            unit = c.unit();
            if (value > 0 && Math.abs((Math.rint(value) / value) - 1.0) <= 1e-8) {
                break;
            }
        }
        return CNumbers.formatG(value) + unit;
    }
}
