/*
 * ConfigProcessor: applies postgresql.conf and the command line to the settings (PostgreSQL:
 * ProcessConfigFileInternal() in utils/misc/guc-file.l, SelectConfigFiles() in guc.c).
 *
 * startup() builds the first snapshot: boot values, data_directory and config_file (source
 * "override"), the -c settings ("command line"), postgresql.conf and postgresql.auto.conf
 * ("configuration file"), then hba_file and ident_file if the file did not set them. Any error
 * is fatal: the outcome then carries "configuration file ... contains errors".
 *
 * reload() is SIGHUP: a file with syntax errors or unknown names changes nothing; otherwise
 * sighup and user settings take their new values ("parameter ... changed to ..."), settings
 * removed from the file go back to their defaults, and changed postmaster settings are logged
 * ("cannot be changed without restarting the server") and kept, as are invalid values
 * ("contains errors; unaffected changes were applied").
 *
 * Entry points: startup(), reload(). Nothing here logs: the outcome lists the messages.
 * See also: ConfigFileParser -- the file syntax; GucValues -- value checks.
 */
package org.osgres.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.osgres.api.config.GucContext;
import org.osgres.api.error.PgException;
import org.osgres.config.file.ConfigFileParser;
import org.osgres.config.file.ConfigItem;
import org.osgres.config.guc.GucEntry;
import org.osgres.config.guc.GucTable;
import org.osgres.config.guc.GucValues;

public final class ConfigProcessor {
    public static final String CONFIG_FILE = "postgresql.conf";
    public static final String AUTO_CONFIG_FILE = "postgresql.auto.conf";
    public static final String HBA_FILE = "pg_hba.conf";
    public static final String IDENT_FILE = "pg_ident.conf";

    /** A message to log, with PostgreSQL's severity word (LOG, FATAL). */
    public record LogLine(String severity, String message) {
        @Override
        public String toString() {
            return severity + ":  " + message;
        }
    }

    /**
     * What processing gave.
     *
     * @param state the new snapshot (the old one when nothing could be applied)
     * @param ok    true when there were no errors
     * @param log   the messages, in order
     */
    public record Outcome(SettingsState state, boolean ok, List<LogLine> log) {
    }

    private final GucTable table;
    private final List<LogLine> log = new ArrayList<>();

    private ConfigProcessor(GucTable table) {
        this.table = table;
    }

    /**
     * The settings at server start.
     *
     * @param dataDirectory the data directory (-D)
     * @param commandLine   the -c settings in order, name to value
     */
    public static Outcome startup(GucTable table, Path dataDirectory, Map<String, String> commandLine) {
        return new ConfigProcessor(table).doStartup(dataDirectory.toAbsolutePath().normalize(), commandLine);
    }

    /** Re-reads the configuration file named by config_file over the current snapshot (SIGHUP). */
    public static Outcome reload(GucTable table, SettingsState current) {
        return new ConfigProcessor(table).doReload(current);
    }

    /** Parses "name=value" lines (ServerProcess.COMMAND_LINE_SETTINGS) into an ordered map. */
    public static Map<String, String> parseCommandLine(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        if (text == null) {
            return m;
        }
        for (String line : text.split("\\R")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                m.put(line.trim(), "");
            } else {
                m.put(line.substring(0, eq).trim(), line.substring(eq + 1));
            }
        }
        return m;
    }

    private Outcome doStartup(Path dataDirectory, Map<String, String> commandLine) {
        SettingsState.Builder b = SettingsState.defaults(table).toBuilder();
        Path configFile = dataDirectory.resolve(CONFIG_FILE);
        b.set("data_directory", dataDirectory.toString(), SettingsState.OVERRIDE);
        b.set("config_file", configFile.toString(), SettingsState.OVERRIDE);
        for (Map.Entry<String, String> c : commandLine.entrySet()) {
            try {
                String name = c.getKey().replace('-', '_');
                Optional<GucEntry> e = table.find(name);
                if (e.isEmpty() && !GucTable.isCustomName(name)) {
                    throw new PgException(org.osgres.api.error.SqlState.UNDEFINED_OBJECT,
                            "unrecognized configuration parameter \"" + c.getKey() + "\"");
                }
                if (e.isPresent() && e.get().definition().context() == GucContext.INTERNAL) {
                    throw new PgException(org.osgres.api.error.SqlState.CANT_CHANGE_RUNTIME_PARAM,
                            "parameter \"" + e.get().displayName() + "\" cannot be changed");
                }
                String key = e.map(GucEntry::name).orElse(name.toLowerCase(Locale.ROOT));
                String v = e.isPresent() ? GucValues.parse(e.get(), c.getValue(), b.values().get(key)) : c.getValue();
                b.set(key, v, SettingsState.COMMAND_LINE);
            } catch (PgException x) {
                log.add(new LogLine("FATAL", x.getMessage()));
                return new Outcome(b.build(), false, log);
            }
        }
        boolean ok = applyFile(b, configFile, true);
        if (ok) {
            if (SettingsState.priority(b.sources().get("hba_file")) < SettingsState.priority(SettingsState.FILE)) {
                b.set("hba_file", dataDirectory.resolve(HBA_FILE).toString(), SettingsState.OVERRIDE);
            }
            if (SettingsState.priority(b.sources().get("ident_file")) < SettingsState.priority(SettingsState.FILE)) {
                b.set("ident_file", dataDirectory.resolve(IDENT_FILE).toString(), SettingsState.OVERRIDE);
            }
        }
        return new Outcome(b.build(), ok, log);
    }

    private Outcome doReload(SettingsState current) {
        SettingsState.Builder b = current.toBuilder();
        Path configFile = Path.of(current.values().get("config_file"));
        boolean ok = applyFile(b, configFile, false);
        return new Outcome(ok || applied ? b.build() : current, ok, log);
    }

    private boolean applied;

    /** ProcessConfigFileInternal(): parse, check names, then apply the values. */
    private boolean applyFile(SettingsState.Builder b, Path configFile, boolean startup) {
        List<ConfigItem> items = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        ConfigFileParser.Result main = ConfigFileParser.parse(configFile);
        items.addAll(main.items());
        errors.addAll(main.errors());
        if (main.ok()) {
            Path dataDir = Path.of(b.values().get("data_directory"));
            Path auto = dataDir.resolve(AUTO_CONFIG_FILE);
            if (Files.exists(auto)) {
                ConfigFileParser.Result a = ConfigFileParser.parse(auto);
                items.addAll(a.items());
                errors.addAll(a.errors());
            }
        }
        String fileWithError = configFile.toString();
        errors.forEach(e -> log.add(new LogLine("LOG", e)));
        boolean error = !errors.isEmpty();

        // names must be known (or custom placeholders); the last of duplicates wins
        Map<String, ConfigItem> last = new LinkedHashMap<>();
        if (!error) {
            for (ConfigItem item : items) {
                Optional<GucEntry> e = table.find(item.name());
                if (e.isEmpty() && !GucTable.isCustomName(item.name())) {
                    log.add(new LogLine("LOG", "unrecognized configuration parameter \"" + item.name()
                            + "\" in file \"" + item.file() + "\" line " + item.line()));
                    error = true;
                    fileWithError = item.file().toString();
                    continue;
                }
                String key = e.map(GucEntry::name).orElse(item.name().toLowerCase(Locale.ROOT));
                last.remove(key);
                last.put(key, item);
            }
        }
        if (error) {
            return finish(startup, fileWithError, true);
        }

        // settings that were in the file before and are no longer: back to their defaults
        if (!startup) {
            for (String name : List.copyOf(b.sources().keySet())) {
                if (!SettingsState.FILE.equals(b.sources().get(name)) || last.containsKey(name)) {
                    continue;
                }
                Optional<GucEntry> e = table.find(name);
                if (e.isEmpty()) {
                    b.remove(name);
                    continue;
                }
                if (e.get().definition().context() == GucContext.POSTMASTER) {
                    log.add(new LogLine("LOG", "parameter \"" + e.get().displayName()
                            + "\" cannot be changed without restarting the server"));
                    error = true;
                    continue;
                }
                b.set(name, e.get().definition().bootValue(), SettingsState.DEFAULT);
                applied = true;
                log.add(new LogLine("LOG", "parameter \"" + e.get().displayName()
                        + "\" removed from configuration file, reset to default"));
            }
        }

        for (Map.Entry<String, ConfigItem> m : last.entrySet()) {
            String name = m.getKey();
            ConfigItem item = m.getValue();
            if (SettingsState.priority(b.sources().get(name)) > SettingsState.priority(SettingsState.FILE)) {
                continue;
            }
            Optional<GucEntry> e = table.find(name);
            if (e.isEmpty()) {
                b.set(name, item.value(), SettingsState.FILE);
                continue;
            }
            GucEntry entry = e.get();
            String old = b.values().get(name);
            String value;
            try {
                if (entry.definition().context() == GucContext.INTERNAL) {
                    throw new PgException(org.osgres.api.error.SqlState.CANT_CHANGE_RUNTIME_PARAM,
                            "parameter \"" + entry.displayName() + "\" cannot be changed");
                }
                value = GucValues.parse(entry, item.value(), old);
            } catch (PgException x) {
                log.add(new LogLine("LOG", x.getMessage()));
                error = true;
                fileWithError = item.file().toString();
                continue;
            }
            if (!startup && entry.definition().context() == GucContext.POSTMASTER && !value.equals(old)) {
                log.add(new LogLine("LOG", "parameter \"" + entry.displayName()
                        + "\" cannot be changed without restarting the server"));
                error = true;
                fileWithError = item.file().toString();
                continue;
            }
            if (!startup && !value.equals(old)) {
                log.add(new LogLine("LOG", "parameter \"" + entry.displayName() + "\" changed to \""
                        + item.value() + "\""));
            }
            b.set(name, value, SettingsState.FILE);
            applied = true;
        }
        return finish(startup, fileWithError, error);
    }

    private boolean finish(boolean startup, String fileWithError, boolean error) {
        if (!error) {
            return true;
        }
        if (startup) {
            log.add(new LogLine("FATAL", "configuration file \"" + fileWithError + "\" contains errors"));
        } else if (applied) {
            log.add(new LogLine("LOG", "configuration file \"" + fileWithError
                    + "\" contains errors; unaffected changes were applied"));
        } else {
            log.add(new LogLine("LOG", "configuration file \"" + fileWithError
                    + "\" contains errors; no changes were applied"));
        }
        return false;
    }
}
