package org.osgres.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.osgres.config.guc.GucEntry;
import org.osgres.config.guc.GucTable;

/**
 * The server-wide values of every setting and where each came from: one immutable snapshot
 * (PostgreSQL: the reset values and sources of the GUC records in the postmaster).
 *
 * @param values  lower-case name (custom placeholders included) to internal value
 * @param sources lower-case name to pg_settings.source ("default", "configuration file",
 *                "command line", "override")
 */
public record SettingsState(Map<String, String> values, Map<String, String> sources) {
    public static final String DEFAULT = "default";
    public static final String FILE = "configuration file";
    public static final String COMMAND_LINE = "command line";
    public static final String OVERRIDE = "override";

    public SettingsState {
        values = Collections.unmodifiableMap(new TreeMap<>(values));
        sources = Collections.unmodifiableMap(new TreeMap<>(sources));
    }

    /** Every setting at its boot value. */
    public static SettingsState defaults(GucTable table) {
        Map<String, String> v = new LinkedHashMap<>();
        Map<String, String> s = new LinkedHashMap<>();
        for (GucEntry e : table.entries()) {
            v.put(e.name(), e.definition().bootValue());
            s.put(e.name(), DEFAULT);
        }
        return new SettingsState(v, s);
    }

    /** How strongly a source holds its value (PostgreSQL: the GucSource order). */
    static int priority(String source) {
        return switch (source == null ? DEFAULT : source) {
            case FILE -> 1;
            case COMMAND_LINE -> 2;
            case OVERRIDE -> 3;
            default -> 0;
        };
    }

    /** A mutable copy to build the next snapshot from. */
    Builder toBuilder() {
        return new Builder(new TreeMap<>(values), new TreeMap<>(sources));
    }

    record Builder(Map<String, String> values, Map<String, String> sources) {
        void set(String name, String value, String source) {
            values.put(name, value);
            sources.put(name, source);
        }

        void remove(String name) {
            values.remove(name);
            sources.remove(name);
        }

        SettingsState build() {
            return new SettingsState(values, sources);
        }
    }
}
