package org.osgres.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.osgres.auth.hba.crypt.PasswordHashes;
import org.osgres.auth.hba.roles.RoleFile;
import org.osgres.config.initdb.DefaultConfigFiles;
import org.osgres.wal.WalBootstrap;

/**
 * `osgres initdb`: creates a data directory laid out as PostgreSQL's (PostgreSQL: bin/initdb).
 * PG_VERSION, postgresql.conf, pg_hba.conf, pg_ident.conf and the directories global/, base/,
 * pg_wal/archive_status/ and pg_xact/, owner-only (0700) as PostgreSQL insists; global/pg_control and
 * the first WAL segment, pg_wal/000000010000000000000001, with the first shutdown checkpoint
 * (WalBootstrap, PostgreSQL's BootStrapXLOG).
 *
 * <p>The roles file (global/pg_authid) gets the superuser, OID 10, named by -U or after the
 * operating-system user, with the SCRAM-SHA-256 secret of the password in --pwfile's first line.
 * --auth, --auth-local and --auth-host are checked against PostgreSQL's lists of methods for
 * each connection type; password methods on both need a password.
 */
final class InitDb {
    private static final String PROGRAM = "initdb";
    /** PostgreSQL: auth_methods_host and auth_methods_local in initdb.c. */
    private static final Set<String> HOST_METHODS = Set.of("trust", "reject", "scram-sha-256", "md5", "password",
            "ident", "radius", "pam", "gss", "sspi", "ldap", "cert");
    private static final Set<String> LOCAL_METHODS = Set.of("trust", "reject", "scram-sha-256", "md5", "password",
            "peer", "radius", "pam", "ldap");
    private static final Set<String> PASSWORD_METHODS = Set.of("md5", "password", "scram-sha-256");
    private static final int DEFAULT_PORT = 5432;

    private InitDb() {
    }

    static int run(List<String> args) {
        String dataDir = System.getenv("PGDATA");
        String superuser = System.getProperty("user.name");
        String authLocal = null;
        String authHost = null;
        String pwfile = null;
        Options o = new Options(PROGRAM, args);
        while (o.next()) {
            if (o.is("-D", "--pgdata")) {
                dataDir = o.value();
            } else if (o.is("-U", "--username")) {
                superuser = o.value();
            } else if (o.is("-A", "--auth")) {
                String m = o.value();
                authLocal = m;
                authHost = m;
                // as PostgreSQL: ident means peer for local connections, peer means ident for TCP/IP
                if (m.equals("ident")) {
                    authLocal = "peer";
                } else if (m.equals("peer")) {
                    authHost = "ident";
                }
            } else if (o.is("--auth-host")) {
                authHost = o.value();
            } else if (o.is("--auth-local")) {
                authLocal = o.value();
            } else if (o.is("--pwfile")) {
                pwfile = o.value();
            } else if (o.is("-E", "--encoding", "--locale", "--lc-collate", "--lc-ctype", "--no-locale")) {
                if (!o.is("--no-locale")) {
                    o.value(); // osgres stores UTF-8 in C collation whatever is asked
                }
            } else if (!o.option().startsWith("-") && dataDir == null) {
                dataDir = o.option();
            } else {
                throw o.invalid();
            }
        }
        if (dataDir == null) {
            System.err.println(PROGRAM + ": error: no data directory specified");
            System.err.println(PROGRAM + ": hint: You must identify the directory where the data for this database system "
                    + "will reside.  Do this with either the invocation option -D or the environment variable PGDATA.");
            return 1;
        }
        if (authLocal != null && !LOCAL_METHODS.contains(authLocal)) {
            System.err.println(PROGRAM + ": error: invalid authentication method \"" + authLocal
                    + "\" for \"local\" connections");
            return 1;
        }
        if (authHost != null && !HOST_METHODS.contains(authHost)) {
            System.err.println(PROGRAM + ": error: invalid authentication method \"" + authHost
                    + "\" for \"host\" connections");
            return 1;
        }
        if (authLocal != null && authHost != null && PASSWORD_METHODS.contains(authLocal)
                && PASSWORD_METHODS.contains(authHost) && pwfile == null) {
            System.err.println(PROGRAM + ": error: must specify a password for the superuser to enable password"
                    + " authentication");
            return 1;
        }
        if (superuser.startsWith("pg_")) {
            System.err.println(PROGRAM + ": error: superuser name \"" + superuser
                    + "\" is disallowed; role names cannot begin with \"pg_\"");
            return 1;
        }
        String secret = null;
        if (pwfile != null) {
            List<String> pw;
            try {
                pw = Files.readAllLines(Path.of(pwfile), StandardCharsets.UTF_8);
            } catch (IOException e) {
                System.err.println(PROGRAM + ": error: could not open file \"" + pwfile
                        + "\" for reading: No such file or directory");
                return 1;
            }
            if (pw.isEmpty() || pw.get(0).isEmpty()) {
                System.err.println(PROGRAM + ": error: password file \"" + pwfile + "\" is empty");
                return 1;
            }
            secret = PasswordHashes.encrypt(superuser, pw.get(0), "scram-sha-256");
        }
        Path dir = Path.of(dataDir).toAbsolutePath().normalize();
        try {
            if (Files.exists(dir) && !isEmptyDirectory(dir)) {
                System.err.println(PROGRAM + ": error: directory \"" + dir + "\" exists but is not empty");
                System.err.println(PROGRAM + ": hint: If you want to create a new database system, either remove or empty the "
                        + "directory \"" + dir + "\" or run " + PROGRAM + " with an argument other than \"" + dir + "\".");
                return 1;
            }
            System.out.println("The files belonging to this database system will be owned by user \""
                    + System.getProperty("user.name") + "\".");
            System.out.println("The database superuser will be \"" + superuser + "\".");
            System.out.println();
            System.out.println("The database cluster will be initialized with locale \"C.UTF-8\".");
            System.out.println("The default database encoding has accordingly been set to \"UTF8\".");
            System.out.println();
            create(dir, authLocal == null ? "trust" : authLocal, authHost == null ? "trust" : authHost);
            RoleFile.bootstrap(dir, superuser, secret);
        } catch (IOException e) {
            System.err.println(PROGRAM + ": error: could not create directory \"" + dir + "\": " + e.getMessage());
            return 1;
        }
        if ((authLocal == null || authHost == null)) {
            System.out.println("initdb: warning: enabling \"trust\" authentication for local connections");
            System.out.println("initdb: hint: You can change this by editing pg_hba.conf or using the option -A, or "
                    + "--auth-local and --auth-host, the next time you run initdb.");
        }
        System.out.println();
        System.out.println("Success. You can now start the database server using:");
        System.out.println();
        System.out.println("    ./osgres ctl -D " + dir + " -l logfile start");
        System.out.println();
        return 0;
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void create(Path dir, String authLocal, String authHost) throws IOException {
        System.out.print("creating directory " + dir + " ... ");
        mkdir(dir);
        System.out.println("ok");
        System.out.print("creating subdirectories ... ");
        for (String sub : new String[] {"global", "base", "base/1", "base/4", "base/5", "pg_wal", "pg_wal/archive_status",
                "pg_xact", "pg_notify", "pg_stat", "pg_tblspc"}) {
            mkdir(dir.resolve(sub));
        }
        System.out.println("ok");
        System.out.print("creating configuration files ... ");
        write(dir.resolve("PG_VERSION"), "15\n");
        write(dir.resolve("postgresql.conf"), DefaultConfigFiles.postgresqlConf(DEFAULT_PORT));
        write(dir.resolve("pg_hba.conf"), DefaultConfigFiles.pgHbaConf(authLocal, authHost));
        write(dir.resolve("pg_ident.conf"), "# PostgreSQL User Name Maps\n# MAPNAME       SYSTEM-USERNAME         PG-USERNAME\n");
        write(dir.resolve("postgresql.auto.conf"),
                "# Do not edit this file manually!\n# It will be overwritten by the ALTER SYSTEM command.\n");
        System.out.println("ok");
        // PostgreSQL's bootstrap run starts with BootStrapXLOG: pg_control and the first segment
        System.out.print("running bootstrap script ... ");
        WalBootstrap.bootstrap(dir);
        System.out.println("ok");
    }

    private static void mkdir(Path p) throws IOException {
        if (!Files.isDirectory(p)) {
            Files.createDirectories(p);
        }
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to tighten
        }
    }

    private static void write(Path p, String text) throws IOException {
        Files.writeString(p, text, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system
        }
    }
}
