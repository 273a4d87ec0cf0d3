package org.osgres.postmaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;

class PidFileTest {
    @TempDir
    Path dir;

    @Test
    void writesPostgresLineFormatAndStatus() throws IOException {
        PidFile f = PidFile.create(dir, 4242, 1700000000L, 5433, "/tmp", "localhost");
        List<String> lines = Files.readAllLines(dir.resolve("postmaster.pid"));
        assertEquals("4242", lines.get(0));
        assertEquals(dir.toString(), lines.get(1));
        assertEquals("1700000000", lines.get(2));
        assertEquals("5433", lines.get(3));
        assertEquals("/tmp", lines.get(4));
        assertEquals("localhost", lines.get(5));
        assertEquals("starting", lines.get(7));
        f.setStatus(PidFile.STATUS_READY);
        assertEquals("ready   ", Files.readAllLines(dir.resolve("postmaster.pid")).get(7));
        f.delete();
        assertFalse(Files.exists(dir.resolve("postmaster.pid")));
    }

    @Test
    void refusesDirectoryHeldByLiveProcess() throws IOException {
        long live = ProcessHandle.current().parent().orElseThrow().pid();
        Files.writeString(dir.resolve("postmaster.pid"), live + "\n" + dir + "\n");
        PgException e = assertThrows(PgException.class, () -> PidFile.create(dir, 4242, 0, 5432, "", ""));
        assertEquals(Severity.FATAL, e.severity());
        assertEquals("lock file \"postmaster.pid\" already exists", e.getMessage());
        assertEquals("Is another postmaster (PID " + live + ") running in data directory \"" + dir + "\"?", e.hint());
    }

    @Test
    void replacesStaleLockFile() throws IOException {
        Process p = new ProcessBuilder("true").start();
        long dead = p.pid();
        assertTrue(waitFor(p));
        Files.writeString(dir.resolve("postmaster.pid"), dead + "\n" + dir + "\n");
        PidFile.create(dir, 4242, 0, 5432, "", "");
        assertEquals("4242", Files.readAllLines(dir.resolve("postmaster.pid")).get(0));
    }

    private static boolean waitFor(Process p) {
        try {
            return p.waitFor() == 0;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
