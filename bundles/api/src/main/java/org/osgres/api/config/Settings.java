package org.osgres.api.config;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.osgres.api.error.PgException;

/**
 * The server-wide settings (PostgreSQL: guc.c): every definition, and the values that
 * postgresql.conf and -c options give. Sessions keep their own SET values on top; this service
 * validates and formats them.
 *
 * <p>Values come in two forms. The <em>internal</em> form is the value in the setting's base unit
 * without the unit ("16384" for shared_buffers, "on" for a bool, the enum label in lower case).
 * The <em>display</em> form is what SHOW and current_setting() print ("128MB").
 */
@ProviderType
public interface Settings {

    /** The data directory this server runs on. */
    Path dataDirectory();

    /** Every known setting, in name order. */
    Collection<SettingDefinition> definitions();

    /** The definition of a setting, looked up case-insensitively. */
    Optional<SettingDefinition> definition(String name);

    /**
     * The name as PostgreSQL spells it in SHOW's column and in ParameterStatus ("DateStyle",
     * "TimeZone"); definitions keep the lower-case name.
     *
     * @since 1.1
     */
    default String displayName(String name) {
        return definition(name).map(SettingDefinition::name).orElse(name);
    }

    /**
     * The current server-wide value in internal form.
     *
     * @throws PgException 42704 if no such setting exists
     */
    String get(String name);

    /** Where the current value came from, as pg_settings.source says it: default, configuration file, command line. */
    String source(String name);

    /** The current value of an integer setting, in its base unit. */
    default int getInt(String name) {
        return Integer.parseInt(get(name));
    }

    /** The current value of a bool setting. */
    default boolean getBool(String name) {
        return "on".equals(get(name));
    }

    /** The current value of a real setting, in its base unit. */
    default double getReal(String name) {
        return Double.parseDouble(get(name));
    }

    /**
     * Parses a value as SET or postgresql.conf gives it (units, bool spellings, enum labels, ...)
     * and returns the internal form.
     *
     * @throws PgException 42704 for an unknown setting, 22023 for a value it does not accept
     */
    String parse(String name, String value);

    /** The display form of an internal value, as SHOW prints it. */
    String display(String name, String internalValue);

    /**
     * Re-reads postgresql.conf (PostgreSQL: ProcessConfigFile on SIGHUP). Settings of context
     * sighup and below take the new values; postmaster settings that changed are logged and kept.
     * A file with errors changes nothing; the errors are logged.
     *
     * @return true when the file was read without errors
     */
    boolean reload();
}
