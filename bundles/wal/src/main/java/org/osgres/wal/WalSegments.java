/*
 * WalSegments: the segment files in pg_wal/ (PostgreSQL: XLogFileInit, XLogFileOpen,
 * XLogArchiveNotifySeg and RemoveXlogFile in xlog.c, xlogarchive.c).
 *
 * A new segment is written zero-filled (16 MB) to a temporary file, fsynced and renamed into
 * place, then the directory is fsynced, as XLogFileInitInternal does, so a crash never leaves a
 * half-made segment under a real name. Segments are opened for writing with DSYNC or SYNC for
 * wal_sync_method open_datasync / open_sync; otherwise sync() forces them (fdatasync, fsync).
 * A finished segment gets archive_status/NAME.ready when archive_mode is not off.
 *
 * Entry points: open(), create() (also the WAL writer's pre-allocation), markReady(), removeAfter().
 * See also: Xlog -- writes through these; XLogReader -- reads the files.
 * No logging here: initdb (WalBootstrap) uses this class outside the framework.
 */
package org.osgres.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;

public final class WalSegments {
    /** wal_sync_method. */
    public enum SyncMethod {
        FSYNC, FDATASYNC, OPEN_SYNC, OPEN_DATASYNC;

        public static SyncMethod of(String setting) {
            return valueOf(setting.toUpperCase());
        }

        /** Whether every write is synchronous already (O_SYNC, O_DSYNC). */
        public boolean syncsOnWrite() {
            return this == OPEN_SYNC || this == OPEN_DATASYNC;
        }
    }

    private static final int ZERO_CHUNK = 1 << 20;
    private final Path dir;
    private final int tli;

    public WalSegments(Path dataDirectory, int tli) {
        this.dir = dataDirectory.resolve("pg_wal");
        this.tli = tli;
    }

    public Path directory() {
        return dir;
    }

    public Path path(long segno) {
        return dir.resolve(XLogFormat.fileName(tli, segno));
    }

    /** Opens the segment for writing, creating it zero-filled first when it does not exist. */
    public FileChannel open(long segno, SyncMethod method, boolean fsync) throws IOException {
        Path p = path(segno);
        if (!Files.exists(p)) {
            create(segno, fsync);
        }
        Set<StandardOpenOption> opts = EnumSet.of(StandardOpenOption.WRITE, StandardOpenOption.READ);
        if (fsync && method == SyncMethod.OPEN_DATASYNC) {
            opts.add(StandardOpenOption.DSYNC);
        } else if (fsync && method == SyncMethod.OPEN_SYNC) {
            opts.add(StandardOpenOption.SYNC);
        }
        return FileChannel.open(p, opts);
    }

    /**
     * XLogFileInit: a zero-filled segment, made under a temporary name and renamed; nothing when
     * it exists already. Synchronized: the WAL writer pre-allocates while backends may need it.
     */
    public synchronized void create(long segno, boolean fsync) throws IOException {
        if (Files.exists(path(segno))) {
            return;
        }
        Files.createDirectories(dir);
        Path tmp = dir.resolve("xlogtemp." + ProcessHandle.current().pid() + "." + Thread.currentThread().threadId());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_CHUNK);
            long pos = 0;
            while (pos < XLogFormat.SEG_SIZE) {
                zeros.clear();
                pos += ch.write(zeros, pos);
            }
            if (fsync) {
                ch.force(true);
            }
        }
        ownerOnly(tmp);
        Files.move(tmp, path(segno), StandardCopyOption.ATOMIC_MOVE);
        if (fsync) {
            syncDirectory(dir);
        }
    }

    /** rw------- as PostgreSQL's pg_file_create_mode, where the file system has POSIX permissions. */
    public static void ownerOnly(Path p) {
        try {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing to tighten
        }
    }

    /** fsync of a directory, so a rename in it is durable (PostgreSQL: fsync_fname on the directory). */
    public static void syncDirectory(Path d) {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems refuse to open directories; PostgreSQL ignores EISDIR-like failures too
        }
    }

    /** Forces what was written (issue_xlog_fsync): fdatasync or fsync. */
    public static void sync(FileChannel ch, SyncMethod method) throws IOException {
        ch.force(method == SyncMethod.FSYNC);
    }

    /** XLogArchiveNotifySeg: archive_status/NAME.ready. */
    public void markReady(long segno) throws IOException {
        Path status = dir.resolve("archive_status");
        Files.createDirectories(status);
        Path ready = status.resolve(XLogFormat.fileName(tli, segno) + ".ready");
        if (!Files.exists(ready)) {
            Files.createFile(ready);
        }
    }

    /** Removes segments of this timeline numbered above {@code segno}: WAL past the end of a crashed run. */
    public void removeAfter(long segno) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                long n = XLogFormat.parseFileName(p.getFileName().toString(), tli);
                if (n > segno) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Whether any segment file exists. */
    public boolean anySegment() throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (XLogFormat.parseFileName(p.getFileName().toString(), tli) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }
}
