package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * initdb's authentication options end to end: --pwfile with --auth=scram-sha-256, and
 * --auth-local=peer with --auth-host=md5, then logging in through psql and pgjdbc with the right
 * and a wrong password; and initdb's refusals of bad options, compared with PostgreSQL 15's
 * initdb run with the same options (e2e/tools/record-auth-goldens.sh, golden/auth/initdb-errors.txt).
 */
class InitdbAuthIT {
    static final String PW = "initdb-Secret";

    @Test
    void refusalsMatchPostgres() throws Exception {
        Path w = Files.createTempDirectory("osgres-e2e-initdb-");
        try {
            Files.createDirectories(w.resolve("nonempty"));
            Files.writeString(w.resolve("nonempty/x"), "");
            Files.writeString(w.resolve("empty.pw"), "");
            Files.writeString(w.resolve("pw.txt"), "secret\n");
            Map<String, Path> paths = Map.of("DATADIR", w.resolve("newdata"), "NONEMPTY", w.resolve("nonempty"),
                    "EMPTYFILE", w.resolve("empty.pw"), "NOSUCHFILE", w.resolve("nosuch.pw"), "PWFILE", w.resolve("pw.txt"));
            List<String> mismatches = new ArrayList<>();
            List<String> golden = Files.readAllLines(AuthViewsIT.golden("initdb-errors.txt"));
            for (String line : golden) {
                String[] f = line.split("\t", 3);
                List<String> args = new ArrayList<>();
                for (String a : argsOf(f[0]).split(" ")) {
                    for (Map.Entry<String, Path> p : paths.entrySet()) {
                        a = a.replace(p.getKey(), p.getValue().toString());
                    }
                    args.add(a);
                }
                Cmd.Result r = Cmd.run(OsgresServer.tool("initdb", args.toArray(new String[0])), Duration.ofSeconds(120),
                        Map.of(), w);
                String err = r.stderr().stripTrailing();
                for (Map.Entry<String, Path> p : paths.entrySet()) {
                    err = err.replace(p.getValue().toString(), p.getKey());
                }
                String got = r.exit() + "\t" + err.replace("\n", "\\n");
                if (!got.equals(f[1] + "\t" + f[2])) {
                    mismatches.add(f[0] + ": got <" + got + "> want <" + f[1] + "\t" + f[2] + ">");
                }
                OsgresServer.deleteTree(w.resolve("newdata"));
            }
            assertEquals(List.of(), mismatches, "of " + golden.size() + " cases");
        } finally {
            OsgresServer.deleteTree(w);
        }
    }

    /** The options of record-auth-goldens.sh's initdb cases. */
    static String argsOf(String id) {
        return switch (id) {
            case "auth-unknown" -> "-D DATADIR --auth=foo";
            case "auth-local-invalid" -> "-D DATADIR --auth-local=cert";
            case "auth-host-invalid" -> "-D DATADIR --auth-host=peer";
            case "password-needed" -> "-D DATADIR --auth=scram-sha-256";
            case "password-needed-md5" -> "-D DATADIR --auth-local=md5 --auth-host=password";
            case "pwfile-missing" -> "-D DATADIR --auth=scram-sha-256 --pwfile=NOSUCHFILE";
            case "pwfile-empty" -> "-D DATADIR --auth=scram-sha-256 --pwfile=EMPTYFILE";
            case "superuser-pg" -> "-D DATADIR -U pg_admin";
            case "no-data-directory" -> "--auth=trust";
            case "not-empty" -> "-D NONEMPTY --auth=trust";
            default -> throw new IllegalArgumentException("no options for " + id);
        };
    }

    static Path pwfile() throws Exception {
        Path f = Files.createTempFile("osgres-e2e-pw", ".txt");
        Files.writeString(f, PW + "\n");
        return f;
    }

    @Test
    void pwfileWithScram() throws Exception {
        Path pw = pwfile();
        try (OsgresServer s = OsgresServer.initdb("--pwfile=" + pw, "--auth=scram-sha-256")) {
            s.startServer();
            String su = s.user();
            String fatal = "FATAL:  password authentication failed for user \"" + su + "\"";
            for (String host : List.of("127.0.0.1", s.socketDir().toString())) {
                assertEquals("ok", AuthHelper.psql(s, su, PW, host, Map.of()), host);
                assertEquals(fatal, AuthHelper.psql(s, su, "wrong", host, Map.of()), host);
            }
            assertEquals("ok", AuthHelper.jdbc(s, su, PW, "127.0.0.1"));
            assertEquals("28P01 FATAL: password authentication failed for user \"" + su + "\"",
                    AuthHelper.jdbc(s, su, "wrong", "127.0.0.1"));
            assertEquals("FATAL:  password authentication failed for user \"nobody\"",
                    AuthHelper.psql(s, "nobody", PW, "127.0.0.1", Map.of()));
        } finally {
            Files.deleteIfExists(pw);
        }
    }

    @Test
    void peerLocallyMd5OverTcp() throws Exception {
        Path pw = pwfile();
        try (OsgresServer s = OsgresServer.initdb("--auth-local=peer", "--auth-host=md5", "--pwfile=" + pw)) {
            s.startServer();
            String su = s.user();
            String hba = Files.readString(s.dataDir().resolve("pg_hba.conf"));
            assertEquals(true, hba.matches("(?s).*\\nlocal\\s+all\\s+all\\s+peer\\n.*"), hba);
            assertEquals(true, hba.matches("(?s).*\\nhost\\s+all\\s+all\\s+127\\.0\\.0\\.1/32\\s+md5\\n.*"), hba);
            // the Unix socket: peer, no password asked
            assertEquals("ok", AuthHelper.psql(s, su, null, s.socketDir().toString(), Map.of()));
            assertEquals("FATAL:  Peer authentication failed for user \"other\"",
                    AuthHelper.psql(s, "other", null, s.socketDir().toString(), Map.of()));
            // TCP: md5 against the SCRAM secret initdb stored, which PostgreSQL answers with SCRAM
            assertEquals("ok", AuthHelper.psql(s, su, PW, "127.0.0.1", Map.of()));
            assertEquals("FATAL:  password authentication failed for user \"" + su + "\"",
                    AuthHelper.psql(s, su, "wrong", "127.0.0.1", Map.of()));
            assertEquals("ok", AuthHelper.jdbc(s, su, PW, "127.0.0.1"));
        } finally {
            Files.deleteIfExists(pw);
        }
    }
}
