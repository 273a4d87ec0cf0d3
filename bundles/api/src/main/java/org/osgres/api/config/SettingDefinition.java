package org.osgres.api.config;

import java.util.List;

/**
 * One setting as pg_settings describes it: name, type, unit, context, bounds and default.
 *
 * @param name       lower-case name, as in postgresql.conf
 * @param type       the value type
 * @param unit       the base unit of an integer or real setting ("kB", "8kB", "ms", "s", "min", ...),
 *                   or "" when it has none
 * @param category   pg_settings.category
 * @param shortDesc  pg_settings.short_desc
 * @param context    when it may change
 * @param minValue   lower bound in the base unit, or null when not numeric
 * @param maxValue   upper bound in the base unit, or null when not numeric
 * @param enumValues the allowed values of an enum setting, else empty
 * @param bootValue  the built-in default, in the base unit without the unit (pg_settings.boot_val)
 * @param reported   true for GUC_REPORT settings, whose changes the backend sends as ParameterStatus
 */
public record SettingDefinition(
        String name,
        GucType type,
        String unit,
        String category,
        String shortDesc,
        GucContext context,
        String minValue,
        String maxValue,
        List<String> enumValues,
        String bootValue,
        boolean reported) {

    public SettingDefinition {
        enumValues = List.copyOf(enumValues);
    }
}
