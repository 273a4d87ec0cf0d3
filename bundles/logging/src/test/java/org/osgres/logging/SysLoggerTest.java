package org.osgres.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.OffsetDateTime;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.session.BackendStatus;

class SysLoggerTest {
    @TempDir
    Path dir;

    @Test
    void nextRotationTimeIsAlignedToTheAgeInLocalTime() {
        Instant now = Instant.parse("2024-03-05T07:08:09Z");
        assertEquals(Instant.parse("2024-03-06T00:00:00Z"), SysLogger.nextRotationTime(now, 1440, ZoneId.of("UTC")));
        assertEquals(Instant.parse("2024-03-05T07:10:00Z"), SysLogger.nextRotationTime(now, 5, ZoneId.of("UTC")));
        // midnight in UTC+02:00 is 22:00 UTC
        assertEquals(Instant.parse("2024-03-05T22:00:00Z"),
                SysLogger.nextRotationTime(now, 1440, ZoneId.of("+02:00")));
        assertNull(SysLogger.nextRotationTime(now, 0, ZoneId.of("UTC")));
    }

    @Test
    void writesLinesAndRotatesAtTheSizeLimit() throws Exception {
        LinkedBlockingQueue<String> q = new LinkedBlockingQueue<>();
        // %s (epoch seconds) in the name: a rotation within the same second appends to the same file
        SysLogger.Files files = new SysLogger.Files(dir.resolve("log"), "pg-%s.log", 0, 1, false, ZoneId.of("UTC"));
        SysLogger logger = new SysLogger(q, () -> files);
        BackendStatus status = new BackendStatus(1, "logger", OffsetDateTime.now());
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                logger.run(status);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        assertEquals("SysLoggerMain", waitFor(() -> status.waitEvent()));
        String line = "x".repeat(600) + "\n";
        q.put(line);
        q.put(line);
        Path first = waitFor(logger::currentFile);
        // the next second gives a new name, and the file is past 1 kB: the next line rotates
        long second = Instant.now().getEpochSecond();
        while (Instant.now().getEpochSecond() == second) {
            Thread.onSpinWait();
        }
        q.put("after rotation\n");
        waitFor(() -> logger.currentFile().equals(first) ? null : logger.currentFile());
        t.interrupt();
        t.join(TimeUnit.SECONDS.toMillis(10));
        assertEquals(line + line, Files.readString(first));
        assertEquals("after rotation\n", Files.readString(logger.currentFile()));
    }

    /** A clock the test moves. */
    static final class MovableClock extends java.time.Clock {
        volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public java.time.Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void rotatesByAgeAndTruncatesAReusedNameOnlyWhenAsked() throws Exception {
        LinkedBlockingQueue<String> q = new LinkedBlockingQueue<>();
        MovableClock clock = new MovableClock(Instant.parse("2024-03-05T10:00:30Z"));
        Path logDir = dir.resolve("log");
        java.nio.file.Files.createDirectories(logDir);
        java.nio.file.Files.writeString(logDir.resolve("pg-00.log"), "from an earlier run\n");
        java.nio.file.Files.writeString(logDir.resolve("pg-01.log"), "older still\n");
        SysLogger.Files files = new SysLogger.Files(logDir, "pg-%M.log", 1, 0, true, ZoneId.of("UTC"));
        SysLogger logger = new SysLogger(q, () -> files, clock);
        BackendStatus status = new BackendStatus(1, "logger", OffsetDateTime.now());
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                logger.run(status);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        q.put("first\n");
        waitFor(() -> logger.currentFile());
        // the first file of a run is appended to, even with log_truncate_on_rotation
        waitFor(() -> readQuietly(logDir.resolve("pg-00.log")).endsWith("first\n") ? "" : null);
        clock.now = Instant.parse("2024-03-05T10:01:00Z"); // the next multiple of 1 min: rotate
        q.put("second\n");
        waitFor(() -> readQuietly(logDir.resolve("pg-01.log")).equals("second\n") ? "" : null);
        t.interrupt();
        t.join(TimeUnit.SECONDS.toMillis(10));
        assertEquals("from an earlier run\nfirst\n", java.nio.file.Files.readString(logDir.resolve("pg-00.log")));
        assertEquals("second\n", java.nio.file.Files.readString(logDir.resolve("pg-01.log")), "truncated on rotation");
    }

    static String readQuietly(Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    static <T> T waitFor(java.util.function.Supplier<T> s) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            T v = s.get();
            if (v != null) {
                return v;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("condition not met in 10 s");
    }
}
