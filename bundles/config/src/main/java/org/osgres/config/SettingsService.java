/*
 * SettingsService: the server-wide settings (PostgreSQL: utils/misc/guc.c, the postmaster's
 * view of the GUCs).
 *
 * The values come from Configuration Admin (PID org.osgres.settings), which ConfigLoader fills
 * from postgresql.conf and the command line at startup; the component needs that configuration
 * and is updated in place (@Modified) when it changes, so consumers are not restarted. reload()
 * is SIGHUP: ConfigProcessor re-reads the file and the new snapshot is written back to
 * Configuration Admin for components that read the PID directly.
 *
 * Entry points: get(), source(), parse(), display(), definitions(), reload().
 * See also: ConfigLoader -- startup; ConfigProcessor -- file semantics; GucValues -- values.
 */
package org.osgres.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgres.api.config.SettingDefinition;
import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.config.guc.GucEntry;
import org.osgres.config.guc.GucTable;
import org.osgres.config.guc.GucValues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

@Component(service = Settings.class, configurationPid = SettingsConfig.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class SettingsService implements Settings {
    private static final Logger LOG = LoggerFactory.getLogger(SettingsService.class);

    private final GucTable table = GucTable.standard();
    private final List<SettingDefinition> definitions =
            table.entries().stream().map(GucEntry::definition).toList();
    private volatile SettingsState state;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ConfigurationAdmin configAdmin;

    /** For tests and embedding: a service over a snapshot, without Configuration Admin. */
    public SettingsService(SettingsState state) {
        this.state = state;
    }

    @Activate
    public SettingsService(Map<String, Object> properties) {
        this.state = SettingsConfig.fromProperties(properties, SettingsState.defaults(table));
    }

    @Modified
    void modified(Map<String, Object> properties) {
        state = SettingsConfig.fromProperties(properties, SettingsState.defaults(table));
    }

    /** The current snapshot. */
    public SettingsState state() {
        return state;
    }

    @Override
    public Path dataDirectory() {
        return Path.of(state.values().get("data_directory"));
    }

    @Override
    public Collection<SettingDefinition> definitions() {
        return definitions;
    }

    @Override
    public Optional<SettingDefinition> definition(String name) {
        return table.find(name).map(GucEntry::definition);
    }

    /** The name as PostgreSQL spells it (DateStyle, TimeZone): SHOW's column name, pg_settings.name. */
    @Override
    public String displayName(String name) {
        return table.find(name).map(GucEntry::displayName).orElse(name);
    }

    @Override
    public String get(String name) {
        String key = key(name);
        String v = state.values().get(key);
        if (v == null) {
            throw unrecognized(name);
        }
        return v;
    }

    @Override
    public String source(String name) {
        String s = state.sources().get(key(name));
        if (s == null) {
            throw unrecognized(name);
        }
        return s;
    }

    @Override
    public String parse(String name, String value) {
        Optional<GucEntry> e = table.find(name);
        if (e.isEmpty()) {
            if (GucTable.isCustomName(name)) {
                return value;
            }
            throw unrecognized(name);
        }
        return GucValues.parse(e.get(), value, state.values().get(e.get().name()));
    }

    @Override
    public String display(String name, String internalValue) {
        Optional<GucEntry> e = table.find(name);
        if (e.isEmpty()) {
            if (GucTable.isCustomName(name)) {
                return internalValue;
            }
            throw unrecognized(name);
        }
        return GucValues.display(e.get(), internalValue);
    }

    @Override
    public boolean reload() {
        ConfigProcessor.Outcome o = ConfigProcessor.reload(table, state);
        o.log().forEach(l -> LOG.info("{}", l));
        if (o.state() != state) {
            state = o.state();
            publish(o.state());
        }
        return o.ok();
    }

    private void publish(SettingsState s) {
        ConfigurationAdmin cm = configAdmin;
        if (cm == null) {
            return;
        }
        try {
            Configuration c = cm.getConfiguration(SettingsConfig.PID, "?");
            c.update(SettingsConfig.toProperties(s));
        } catch (IOException e) {
            LOG.warn("LOG:  could not store the reloaded settings in Configuration Admin: {}", e.toString());
        }
    }

    private static String key(String name) {
        return name == null ? "" : name.toLowerCase(java.util.Locale.ROOT);
    }

    private static PgException unrecognized(String name) {
        return new PgException(SqlState.UNDEFINED_OBJECT, "unrecognized configuration parameter \"" + name + "\"");
    }
}
