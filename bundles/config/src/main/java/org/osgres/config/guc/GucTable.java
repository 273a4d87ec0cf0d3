/*
 * GucTable: every PostgreSQL 15 setting (PostgreSQL: ConfigureNamesBool/Int/Real/String/Enum in
 * utils/misc/guc.c), read from pg_settings.tsv, which tools/gen-guc-table.sh writes from the
 * reference server's pg_settings.
 *
 * The table is PostgreSQL's, with osgres's own boot values for server_version and
 * server_version_num, and the hidden enum spellings that pg_settings.enumvals does not list
 * (config_enum_entry.hidden: "yes" for synchronous_commit, "debug" for client_min_messages, ...).
 *
 * Entry points: GucTable.standard(), find(), entries().
 */
package org.osgres.config.guc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.osgres.api.config.GucContext;
import org.osgres.api.config.GucType;
import org.osgres.api.config.SettingDefinition;

public final class GucTable {
    /** osgres's server_version (SHOW server_version, ParameterStatus). */
    public static final String SERVER_VERSION = "15.18 (osgres 0.1.0)";
    /** osgres's server_version_num. */
    public static final String SERVER_VERSION_NUM = "150018";

    private static final String RESOURCE = "/org/osgres/config/pg_settings.tsv";
    private static final List<String> BOOL_ALIASES_ON = List.of("true", "yes", "1");
    private static final List<String> BOOL_ALIASES_OFF = List.of("false", "no", "0");

    private static volatile GucTable standard;

    private final Map<String, GucEntry> byName;

    private GucTable(Map<String, GucEntry> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** The table of PostgreSQL 15's settings, loaded once. */
    public static GucTable standard() {
        GucTable t = standard;
        if (t == null) {
            try (InputStream in = GucTable.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + RESOURCE);
                }
                t = parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            standard = t;
        }
        return t;
    }

    static GucTable parse(BufferedReader in) throws IOException {
        Map<String, GucEntry> map = new TreeMap<>();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 11) {
                throw new IllegalStateException("bad line in pg_settings.tsv: " + line);
            }
            String display = unescape(f[0]);
            String name = display.toLowerCase(Locale.ROOT);
            GucType type = GucType.fromLabel(unescape(f[1]));
            String unit = orEmpty(unescape(f[2]));
            List<String> enumValues = f[8].equals("\\N") || f[8].isEmpty()
                    ? List.of() : List.of(unescape(f[8]).split(","));
            String boot = orEmpty(unescape(f[9]));
            boot = switch (name) {
                case "server_version" -> SERVER_VERSION;
                case "server_version_num" -> SERVER_VERSION_NUM;
                default -> boot;
            };
            SettingDefinition def = new SettingDefinition(name, type, unit, unescape(f[3]), unescape(f[4]),
                    GucContext.fromLabel(unescape(f[5])), unescape(f[6]), unescape(f[7]), enumValues, boot,
                    "t".equals(f[10]));
            map.put(name, new GucEntry(def, display, enumLookup(name, enumValues)));
        }
        return new GucTable(map);
    }

    /** Every accepted enum spelling, including PostgreSQL's hidden ones, to the stored label. */
    private static Map<String, String> enumLookup(String name, List<String> labels) {
        if (labels.isEmpty()) {
            return Map.of();
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : labels) {
            m.put(l.toLowerCase(Locale.ROOT), l);
        }
        if (name.equals("wal_compression")) {
            m.put("on", "pglz");
        }
        if (m.containsKey("on") && m.containsKey("off")) {
            BOOL_ALIASES_ON.forEach(a -> m.putIfAbsent(a, m.get("on")));
            BOOL_ALIASES_OFF.forEach(a -> m.putIfAbsent(a, m.get("off")));
        }
        if (m.containsKey("debug2")) {
            m.putIfAbsent("debug", "debug2");
            m.putIfAbsent("info", "info");
        }
        if (name.equals("wal_level")) {
            m.put("archive", "replica");
            m.put("hot_standby", "replica");
        }
        return Collections.unmodifiableMap(m);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /** COPY text format: \N is NULL; backslash escapes. */
    private static String unescape(String s) {
        if (s.equals("\\N")) {
            return null;
        }
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char e = s.charAt(++i);
                sb.append(switch (e) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> e;
                });
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** The setting of that name, case-insensitively. */
    public Optional<GucEntry> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Every setting in name order. */
    public List<GucEntry> entries() {
        return new ArrayList<>(byName.values());
    }

    /**
     * A custom (placeholder) name: two or more identifiers joined by dots, as
     * valid_custom_variable_name() accepts ("myext.x").
     */
    public static boolean isCustomName(String name) {
        if (name == null || name.indexOf('.') < 0) {
            return false;
        }
        for (String part : name.split("\\.", -1)) {
            if (part.isEmpty()) {
                return false;
            }
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                boolean ok = c == '_' || Character.isLetter(c) || c >= 128 || i > 0 && (Character.isDigit(c) || c == '$');
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
