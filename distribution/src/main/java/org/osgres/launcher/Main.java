/*
 * Main: the osgres command line (PostgreSQL: the initdb, postgres and pg_ctl programs).
 *
 *   osgres                       initdb ./data if needed, then serve it on port 5432
 *   osgres initdb -D DIR ...     a new data directory (InitDb)
 *   osgres server -D DIR ...     the postmaster in the foreground, inside Felix (ServerCommand)
 *   osgres ctl start|stop|...    pg_ctl's commands (CtlCommand)
 *
 * Exit codes follow the programs they stand for: 0 success, 1 failure, 2 bad usage (postgres),
 * 3 "no server running" and 4 "no data directory" (pg_ctl status).
 * See also: FelixLauncher -- installs and starts the bundles in dependency order.
 */
package org.osgres.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

public final class Main {
    static final String PROGRAM = "osgres";
    static final String VERSION = "osgres (PostgreSQL) 15.18 (osgres 0.1.0)";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0) {
            return serveDefault();
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        try {
            return switch (args[0]) {
                case "initdb" -> InitDb.run(rest);
                case "server" -> ServerCommand.run(rest);
                case "ctl" -> CtlCommand.run(rest);
                case "--version", "-V" -> {
                    System.out.println(VERSION);
                    yield 0;
                }
                case "--help", "-?", "help" -> {
                    usage();
                    yield 0;
                }
                default -> {
                    System.err.println(PROGRAM + ": unknown command \"" + args[0] + "\"");
                    usage();
                    yield 2;
                }
            };
        } catch (UsageException e) {
            System.err.println(e.program() + ": " + e.getMessage());
            System.err.println("Try \"" + e.program() + " --help\" for more information.");
            return 2;
        }
    }

    /** `./osgres` alone: a data directory ./data, created on first start, served on port 5432. */
    private static int serveDefault() {
        Path data = Path.of("data");
        if (!Files.exists(data.resolve("PG_VERSION"))) {
            int rc = InitDb.run(List.of("-D", data.toString()));
            if (rc != 0) {
                return rc;
            }
        }
        return ServerCommand.run(List.of("-D", data.toString()));
    }

    private static void usage() {
        System.out.println("""
                osgres is a PostgreSQL-compatible database server.

                Usage:
                  osgres                         initialise ./data if needed and serve it on port 5432
                  osgres initdb -D DIR [-U SUPERUSER] [--auth=METHOD] [--auth-host=METHOD] [--auth-local=METHOD] [--pwfile=FILE]
                  osgres server -D DIR [-p PORT] [-h ADDRESSES] [-k SOCKETDIR] [-c NAME=VALUE]...
                  osgres ctl start|stop|restart|reload|status -D DIR [-m smart|fast|immediate] [-w|-W] [-t SECS] [-l LOGFILE] [-o "OPTIONS"]
                  osgres --version""");
    }
}
