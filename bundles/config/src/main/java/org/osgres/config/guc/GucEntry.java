package org.osgres.config.guc;

import java.util.Map;

import org.osgres.api.config.SettingDefinition;

/**
 * One row of the GUC table: the api definition plus what only this bundle needs.
 *
 * @param definition  the definition (lower-case name)
 * @param displayName the name as PostgreSQL spells it (DateStyle, TimeZone, IntervalStyle):
 *                    SHOW's column name, pg_settings.name and the name in error messages
 * @param enumLookup  for enums: every accepted spelling in lower case (visible labels and the
 *                    hidden aliases such as "yes" or "debug") to the stored label; else empty
 */
public record GucEntry(SettingDefinition definition, String displayName, Map<String, String> enumLookup) {

    public String name() {
        return definition.name();
    }
}
