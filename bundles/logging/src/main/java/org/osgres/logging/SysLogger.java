package org.osgres.logging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.osgres.api.lifecycle.BackgroundWorker;
import org.osgres.api.session.BackendStatus;

/**
 * The logging collector (PostgreSQL: postmaster/syslogger.c), a background worker with
 * backend_type "logger": it takes the formatted lines from ServerLog's queue and writes them to
 * log_directory/log_filename, starting a new file when log_rotation_age has passed (aligned to
 * multiples of it in log_timezone, as PostgreSQL's set_next_rotation_time) or the file has
 * reached log_rotation_size. With log_truncate_on_rotation a time-based rotation onto an
 * existing file name truncates it; otherwise files are appended to.
 *
 * <p>If it fails, the postmaster restarts it; lines wait in the queue meanwhile.
 */
final class SysLogger implements BackgroundWorker {
    /** Where and when to write; read at each rotation check so SIGHUP changes apply. */
    record Files(Path directory, String filename, int rotationAgeMinutes, long rotationSizeKb, boolean truncate,
            ZoneId zone) {
    }

    private final BlockingQueue<String> queue;
    private final java.util.function.Supplier<Files> settings;
    private OutputStream out;
    private Path current;
    private long written;
    private Instant nextRotation;

    private final java.time.Clock clock;

    SysLogger(BlockingQueue<String> queue, java.util.function.Supplier<Files> settings) {
        this(queue, settings, java.time.Clock.systemUTC());
    }

    /** With a clock of the test's choosing, for time-based rotation. */
    SysLogger(BlockingQueue<String> queue, java.util.function.Supplier<Files> settings, java.time.Clock clock) {
        this.queue = queue;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "logger";
    }

    @Override
    public String backendType() {
        return "logger";
    }

    @Override
    public void run(BackendStatus status) throws Exception {
        status.setWait("Activity", "SysLoggerMain");
        try {
            Files f = settings.get();
            open(f, clock.instant(), false);
            while (true) {
                String line;
                try {
                    line = queue.poll(1, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    drain();
                    ServerLog.INSTANCE.stopCollecting(); // the server is stopping: what follows goes to stderr
                    drain();
                    return;
                }
                f = settings.get();
                Instant now = clock.instant();
                if (nextRotation != null && !now.isBefore(nextRotation)) {
                    open(f, nextRotation, f.truncate());
                } else if (f.rotationSizeKb() > 0 && written >= f.rotationSizeKb() * 1024) {
                    open(f, now, false);
                }
                if (line != null) {
                    write(line);
                }
            }
        } finally {
            closeFile();
        }
    }

    private void drain() throws IOException {
        String line;
        while ((line = queue.poll()) != null) {
            write(line);
        }
        out.flush();
    }

    private void write(String line) throws IOException {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        out.write(b);
        written += b.length;
        if (queue.isEmpty()) {
            out.flush();
        }
    }

    /** PostgreSQL: logfile_open and logfile_rotate; the name comes from the rotation's time. */
    private void open(Files f, Instant nameTime, boolean truncate) throws IOException {
        Path dir = f.directory();
        java.nio.file.Files.createDirectories(dir);
        Path file = dir.resolve(LogFileName.format(f.filename(), ZonedDateTime.ofInstant(nameTime, f.zone())));
        closeFile();
        // FileOutputStream, not a channel: an interrupt at shutdown must not close the file mid-write
        boolean append = !(truncate && current != null && !file.equals(current));
        out = new java.io.BufferedOutputStream(new java.io.FileOutputStream(file.toFile(), append), 8192);
        written = java.nio.file.Files.size(file);
        current = file;
        nextRotation = nextRotationTime(clock.instant(), f.rotationAgeMinutes(), f.zone());
    }

    /** PostgreSQL: set_next_rotation_time, multiples of log_rotation_age in local time. */
    static Instant nextRotationTime(Instant now, int rotationAgeMinutes, ZoneId zone) {
        if (rotationAgeMinutes <= 0) {
            return null;
        }
        long interval = rotationAgeMinutes * 60L;
        long offset = zone.getRules().getOffset(now).getTotalSeconds();
        long local = now.getEpochSecond() + offset;
        local -= Math.floorMod(local, interval);
        local += interval;
        return Instant.ofEpochSecond(local - offset);
    }

    private void closeFile() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                // the file is gone with its descriptor either way
            }
            out = null;
        }
    }

    /** The file now written, for tests. */
    Path currentFile() {
        return current;
    }

    static Path resolveDirectory(Path dataDirectory, String logDirectory) {
        Path p = Path.of(logDirectory);
        return p.isAbsolute() ? p : dataDirectory.resolve(p);
    }
}
