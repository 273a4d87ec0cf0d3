/*
 * DefaultConfigFiles: the postgresql.conf and pg_hba.conf that initdb writes into a new data
 * directory (PostgreSQL: setup_config() in bin/initdb/initdb.c, which fills in
 * postgresql.conf.sample and pg_hba.conf.sample).
 *
 * This class has no OSGi or logging dependencies: the launcher calls it with the config bundle's
 * jar on its class path. Entry points: postgresqlConf(int), pgHbaConf(String, String).
 */
package org.osgres.config.initdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public final class DefaultConfigFiles {
    /** initdb's AUTHTRUST_WARNING, written when a default method is trust. */
    static final String AUTHTRUST_WARNING = """
            # CAUTION: Configuring the system for local "trust" authentication
            # allows any local user to connect as any PostgreSQL user, including
            # the database superuser.  If you do not trust all your local users,
            # use another authentication method.
            """;

    private DefaultConfigFiles() {
    }

    /**
     * postgresql.conf for a new data directory: PostgreSQL 15's sample with listen_addresses,
     * port, max_connections, shared_buffers, unix_socket_directories and the settings initdb
     * fills in (dynamic_shared_memory_type, time zones, datestyle, lc_*, text search) set; the
     * rest stays commented out.
     */
    public static String postgresqlConf(int port) {
        List<String> lines = sample("postgresql.conf.sample");
        List<String> out = new ArrayList<>(lines.size());
        for (String line : lines) {
            out.add(set(set(set(set(set(set(set(set(set(set(set(set(set(set(line,
                    "listen_addresses", "'localhost'"),
                    "port", Integer.toString(port)),
                    "max_connections", "100"),
                    "unix_socket_directories", "'/tmp'"),
                    "shared_buffers", "128MB"),
                    "dynamic_shared_memory_type", "posix"),
                    "log_timezone", "'UTC'"),
                    "datestyle", "'iso, mdy'"),
                    "timezone", "'UTC'"),
                    "lc_messages", "'C'"),
                    "lc_monetary", "'C'"),
                    "lc_numeric", "'C'"),
                    "lc_time", "'C'"),
                    "default_text_search_config", "'pg_catalog.english'"));
        }
        return String.join("\n", out) + "\n";
    }

    /**
     * pg_hba.conf for a new data directory: PostgreSQL 15's sample with the local (Unix socket)
     * lines using localMethod and the host lines (127.0.0.1/32, ::1/128) using hostMethod, as
     * initdb --auth-local/--auth-host write them.
     */
    public static String pgHbaConf(String localMethod, String hostMethod) {
        String comment = "trust".equals(localMethod) || "trust".equals(hostMethod) ? AUTHTRUST_WARNING : "";
        StringBuilder sb = new StringBuilder();
        for (String line : sample("pg_hba.conf.sample")) {
            if (line.equals("@authcomment@")) {
                sb.append(comment);
                continue;
            }
            sb.append(line.replace("@remove-line-for-nolocal@", "")
                    .replace("@authmethodlocal@", localMethod)
                    .replace("@authmethodhost@", hostMethod)).append('\n');
        }
        return sb.toString();
    }

    /** Uncomments "#name = default" in the sample and puts value in place of the default (initdb's replace_token). */
    private static String set(String line, String name, String value) {
        Matcher m = Pattern.compile("^#" + Pattern.quote(name) + " = ('[^']*'|\\S+)(.*)$").matcher(line);
        if (!m.matches()) {
            return line;
        }
        String tail = m.group(2).stripLeading();
        return tail.isEmpty() ? name + " = " + value : name + " = " + value + "\t\t" + tail;
    }

    private static List<String> sample(String name) {
        try (InputStream in = DefaultConfigFiles.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
