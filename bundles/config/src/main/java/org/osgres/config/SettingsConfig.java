package org.osgres.config;

import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a settings snapshot is stored in Configuration Admin under {@link #PID}: one property per
 * setting, named as in postgresql.conf (lower case) with the internal value as a String, and one
 * property {@code osgres.source.<name>} for every setting whose source is not "default".
 * Custom placeholders (myext.x) are stored the same way.
 */
public final class SettingsConfig {
    /** The configuration PID of the settings. */
    public static final String PID = "org.osgres.settings";
    /** Prefix of the source properties. */
    public static final String SOURCE_PREFIX = "osgres.source.";

    private SettingsConfig() {
    }

    /** The properties that store a snapshot. */
    public static Hashtable<String, Object> toProperties(SettingsState state) {
        Hashtable<String, Object> props = new Hashtable<>();
        state.values().forEach((k, v) -> props.put(k, v == null ? "" : v));
        state.sources().forEach((k, s) -> {
            if (!SettingsState.DEFAULT.equals(s)) {
                props.put(SOURCE_PREFIX + k, s);
            }
        });
        return props;
    }

    /** The snapshot in configuration properties, over the defaults of the given snapshot. */
    public static SettingsState fromProperties(Map<String, ?> props, SettingsState defaults) {
        Map<String, String> values = new LinkedHashMap<>(defaults.values());
        Map<String, String> sources = new LinkedHashMap<>(defaults.sources());
        for (Map.Entry<String, ?> e : props.entrySet()) {
            String k = e.getKey();
            if (k.startsWith(SOURCE_PREFIX)) {
                sources.put(k.substring(SOURCE_PREFIX.length()), String.valueOf(e.getValue()));
            } else if (values.containsKey(k) || (k.indexOf('.') > 0 && !k.startsWith("service.")
                    && !k.startsWith("component.") && !k.startsWith("osgres.") && !k.startsWith("felix."))) {
                values.put(k, String.valueOf(e.getValue()));
                sources.putIfAbsent(k, SettingsState.DEFAULT);
            }
        }
        return new SettingsState(values, sources);
    }
}
