package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** {@code osgres ctl} against pg_ctl's recorded messages and exit codes (golden/pg_ctl). */
class CtlIT {

    static Cmd.Result ctl(String... args) throws Exception {
        return Cmd.run(OsgresServer.tool("ctl", args), Duration.ofSeconds(120));
    }

    /** Each golden line, without pg_ctl's program name, must end the actual line at the same place. */
    static void assertLike(String goldenName, Cmd.Result r, OsgresServer s, long pid, int lines) throws Exception {
        Golden g = Golden.load("pg_ctl/" + goldenName + ".txt");
        assertEquals(g.expected().get(0), "exit " + r.exit(), goldenName + ": " + r);
        List<String> want = g.expected().subList(1, Math.min(g.expected().size(), 1 + lines));
        List<String> got = new java.util.ArrayList<>();
        r.stdoutLines().forEach(l -> got.add("stdout " + l));
        r.stderrLines().forEach(l -> got.add("stderr " + l));
        for (int i = 0; i < want.size(); i++) {
            String w = want.get(i).replace("pg_ctl: ", "")
                    .replace("{pid}", Long.toString(pid)).replace("{datadir}", s.dataDir().toString());
            assertTrue(i < got.size(), goldenName + ": missing line " + w + "\n" + r);
            String actual = got.get(i).replaceAll("\\.{2,} done$", "... done");
            String stream = w.substring(0, w.indexOf(' ') + 1);
            assertTrue(actual.startsWith(stream) && actual.endsWith(w.substring(stream.length())),
                    goldenName + ": expected a line like \"" + w + "\", got \"" + actual + "\"\n" + r);
        }
    }

    /** Not running: no such process, or a zombie (a detached server's parent may be an init that never reaps). */
    static boolean gone(long pid) {
        Optional<ProcessHandle> ph = ProcessHandle.of(pid);
        if (ph.isEmpty() || !ph.get().isAlive()) return true;
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return true;
        }
    }

    @Test
    void startStatusStopStatus() throws Exception {
        try (OsgresServer s = OsgresServer.initdb()) {
            Path log = s.root().resolve("ctl.log");
            long pid = -1;
            try {
                Cmd.Result start = ctl("start", "-D", s.dataDir().toString(), "-w", "-l", log.toString(),
                        "-o", "-p " + s.port() + " -k " + s.socketDir());
                List<String> pidLines = s.pidFileLines();
                assertTrue(pidLines.size() >= 8, "postmaster.pid after ctl start -w: " + pidLines + "\n" + start);
                assertEquals("ready", pidLines.get(7).trim(), "ctl start -w returns once the server is ready");
                pid = Long.parseLong(pidLines.get(0));
                assertLike("start", start, s, pid, 2);
                try (Connection c = s.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 5")) {
                    assertTrue(rs.next());
                    assertEquals(5, rs.getInt(1));
                }

                Cmd.Result status = ctl("status", "-D", s.dataDir().toString());
                assertLike("status-running", status, s, pid, 1);

                Cmd.Result stop = ctl("stop", "-D", s.dataDir().toString(), "-m", "fast", "-w");
                assertLike("stop-fast", stop, s, pid, 2);
                assertFalse(Files.exists(s.pidFile()), "postmaster.pid removed");
                assertTrue(gone(pid), "server process " + pid + " gone after ctl stop -w");

                assertLike("status-stopped", ctl("status", "-D", s.dataDir().toString()), s, pid, 1);
                assertLike("stop-stopped", ctl("stop", "-D", s.dataDir().toString(), "-m", "fast", "-w"), s, pid, 2);
            } catch (Throwable t) {
                System.err.println("--- ctl log ---\n" + (Files.exists(log) ? Files.readString(log) : "(none)"));
                System.err.println(s.logText());
                throw t;
            } finally {
                // never leave a server behind
                List<String> left = s.pidFileLines();
                if (!left.isEmpty()) {
                    long p = Long.parseLong(left.get(0).trim());
                    ProcessHandle.of(p).ifPresent(h -> {
                        h.destroyForcibly();
                        h.onExit().join();
                    });
                }
            }
        }
    }
}
