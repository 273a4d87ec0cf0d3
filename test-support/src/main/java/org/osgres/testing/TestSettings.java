package org.osgres.testing;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgres.api.config.SettingDefinition;
import org.osgres.api.config.Settings;

/** Settings for unit tests: a data directory and a few values; every other setting is unknown. */
public record TestSettings(Path dataDirectory, Map<String, String> values) implements Settings {
    public static TestSettings of(Path dir, int sharedBuffers) {
        return new TestSettings(dir, Map.of("shared_buffers", Integer.toString(sharedBuffers)));
    }

    /** The same settings with one value changed or added. */
    public TestSettings with(String name, String value) {
        Map<String, String> changed = new java.util.HashMap<>(values);
        changed.put(name, value);
        return new TestSettings(dataDirectory, Map.copyOf(changed));
    }

    @Override
    public Collection<SettingDefinition> definitions() {
        return List.of();
    }

    @Override
    public Optional<SettingDefinition> definition(String name) {
        return Optional.empty();
    }

    @Override
    public String get(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no setting " + name + " in the test");
        }
        return v;
    }

    @Override
    public String source(String name) {
        return "default";
    }

    @Override
    public String parse(String name, String value) {
        return value;
    }

    @Override
    public String display(String name, String internalValue) {
        return internalValue;
    }

    @Override
    public boolean reload() {
        return true;
    }
}
