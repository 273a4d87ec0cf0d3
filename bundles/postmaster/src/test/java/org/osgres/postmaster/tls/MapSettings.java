package org.osgres.postmaster.tls;

import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgres.api.config.SettingDefinition;
import org.osgres.api.config.Settings;

/** Settings from a map, with PostgreSQL 15's defaults for the ssl_* settings. */
final class MapSettings implements Settings {
    private final Path dataDirectory;
    final Map<String, String> values = new HashMap<>(Map.of(
            "ssl", "on", "ssl_cert_file", "server.crt", "ssl_key_file", "server.key", "ssl_ca_file", "",
            "ssl_crl_file", "", "ssl_crl_dir", "", "ssl_min_protocol_version", "tlsv1.2",
            "ssl_max_protocol_version", "", "ssl_ciphers", "HIGH:MEDIUM:+3DES:!aNULL",
            "ssl_prefer_server_ciphers", "on"));

    MapSettings(Path dataDirectory) {
        this.dataDirectory = dataDirectory;
    }

    MapSettings with(String name, String value) {
        values.put(name, value);
        return this;
    }

    @Override
    public Path dataDirectory() {
        return dataDirectory;
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
        return values.get(name);
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
        return false;
    }
}
