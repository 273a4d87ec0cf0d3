package org.osgres.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * `osgres server`: the postmaster in the foreground (PostgreSQL: the postgres program). Reads
 * postgres's options, checks the data directory, records the command line in postmaster.opts
 * for `ctl restart`, and runs the bundles in Felix until the postmaster ends the process.
 */
final class ServerCommand {
    private static final String PROGRAM = "postgres";

    private ServerCommand() {
    }

    static int run(List<String> args) {
        String dataDir = System.getenv("PGDATA");
        List<String> settings = new ArrayList<>();
        String envPort = System.getenv("PGPORT");
        if (envPort != null && !envPort.isEmpty()) {
            settings.add("port=" + envPort);
        }
        Options o = new Options(PROGRAM, args);
        while (o.next()) {
            if (o.is("-D", "--pgdata")) {
                dataDir = o.value();
            } else if (o.is("-p")) {
                settings.add("port=" + o.value());
            } else if (o.is("-h")) {
                settings.add("listen_addresses=" + o.value());
            } else if (o.is("-k")) {
                settings.add("unix_socket_directories=" + o.value());
            } else if (o.is("-B")) {
                settings.add("shared_buffers=" + o.value());
            } else if (o.is("-N")) {
                settings.add("max_connections=" + o.value());
            } else if (o.is("-c")) {
                settings.add(assignment(o.value()));
            } else if (o.option().startsWith("--") && o.option().length() > 2) {
                settings.add(assignment(o.option().substring(2) + "=" + o.value()));
            } else {
                throw o.invalid();
            }
        }
        if (dataDir == null) {
            System.err.println(PROGRAM + " does not know where to find the server configuration file.");
            System.err.println("You must specify the --config-file or -D invocation option or set the PGDATA environment variable.");
            return 2;
        }
        Path dir = Path.of(dataDir).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            System.err.println(PROGRAM + ": could not access directory \"" + dir + "\": No such file or directory");
            System.err.println("Run initdb or pg_basebackup to initialize a PostgreSQL data directory.");
            return 2;
        }
        if (!Files.isRegularFile(dir.resolve("PG_VERSION"))) {
            System.err.println("FATAL:  \"" + dir + "\" is not a valid data directory");
            System.err.println("DETAIL:  File \"" + dir.resolve("PG_VERSION") + "\" is missing.");
            return 1;
        }
        try {
            writeOpts(dir, args);
        } catch (IOException e) {
            System.err.println("FATAL:  could not write file \"postmaster.opts\": " + e.getMessage());
            return 1;
        }
        return FelixLauncher.runServer(dir, settings);
    }

    /** "name=value" with the name's dashes as underscores, as postgres accepts them. */
    private static String assignment(String s) {
        int eq = s.indexOf('=');
        if (eq <= 0) {
            throw new UsageException(PROGRAM, "-c " + s + " requires a value");
        }
        return s.substring(0, eq).replace('-', '_') + s.substring(eq);
    }

    /** postmaster.opts: the command line, each argument double-quoted, as PostgreSQL writes it. */
    private static void writeOpts(Path dir, List<String> args) throws IOException {
        StringBuilder b = new StringBuilder(Main.PROGRAM + " \"server\"");
        boolean hasD = false;
        for (String a : args) {
            hasD |= a.equals("-D") || a.startsWith("--pgdata");
        }
        if (!hasD) {
            b.append(" \"-D\" \"").append(dir).append('"');
        }
        for (String a : args) {
            b.append(" \"").append(a.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        Files.writeString(dir.resolve("postmaster.opts"), b.append('\n').toString(), StandardCharsets.UTF_8);
    }
}
