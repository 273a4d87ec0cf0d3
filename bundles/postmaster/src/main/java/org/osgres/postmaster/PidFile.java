package org.osgres.postmaster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

/**
 * postmaster.pid, the data directory's lock file (PostgreSQL: CreateLockFile and
 * AddToDataDirLockFile in utils/init/miscinit.c), in PostgreSQL's line format:
 * <pre>
 * 1 pid            5 first socket directory
 * 2 data directory 6 first listen address
 * 3 start time     7 shared memory key and id
 * 4 port           8 status: "starting", "ready   ", "stopping"
 * </pre>
 * A file whose pid is not a live process is stale and is replaced, as PostgreSQL does.
 */
final class PidFile {
    static final String FILE_NAME = "postmaster.pid";
    static final String STATUS_STARTING = "starting";
    static final String STATUS_READY = "ready   ";
    static final String STATUS_STOPPING = "stopping";

    private final Path path;
    private final List<String> lines = new ArrayList<>();

    private PidFile(Path path) {
        this.path = path;
    }

    /**
     * Creates the lock file, failing if a live postmaster holds the directory.
     *
     * @throws PgException FATAL 55000 naming the other postmaster's pid
     */
    static PidFile create(Path dataDirectory, long pid, long startEpochSeconds, int port,
            String socketDirectory, String listenAddress) throws IOException {
        PidFile f = new PidFile(dataDirectory.resolve(FILE_NAME));
        f.lines.add(Long.toString(pid));
        f.lines.add(dataDirectory.toString());
        f.lines.add(Long.toString(startEpochSeconds));
        f.lines.add(Integer.toString(port));
        f.lines.add(socketDirectory);
        f.lines.add(listenAddress);
        f.lines.add(String.format("%9d %9d", 0, 0));
        f.lines.add(STATUS_STARTING);
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                Files.writeString(f.path, f.text(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE, StandardOpenOption.SYNC);
                return f;
            } catch (FileAlreadyExistsException e) {
                Optional<Long> other = readPid(f.path);
                if (other.isPresent() && other.get() != pid && ProcessHandle.of(other.get()).map(ProcessHandle::isAlive).orElse(false)) {
                    throw PgException.fatal(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
                            "lock file \"" + FILE_NAME + "\" already exists")
                            .withHint("Is another postmaster (PID " + other.get() + ") running in data directory \""
                                    + dataDirectory + "\"?");
                }
                Files.deleteIfExists(f.path); // stale: its postmaster is gone
            }
        }
        throw PgException.fatal(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE,
                "could not create lock file \"" + FILE_NAME + "\"");
    }

    /** The pid on the first line of a postmaster.pid, if the file exists and has one. */
    static Optional<Long> readPid(Path pidFile) throws IOException {
        try {
            List<String> content = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (content.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(Long.parseLong(content.get(0).trim()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Rewrites the status line (PostgreSQL: AddToDataDirLockFile(LOCK_FILE_LINE_PM_STATUS, ...)). */
    synchronized void setStatus(String status) throws IOException {
        lines.set(7, status);
        Path tmp = path.resolveSibling(FILE_NAME + ".tmp");
        Files.writeString(tmp, text(), StandardCharsets.UTF_8);
        Files.move(tmp, path, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Adds the socket directory and listen address once the sockets exist (PostgreSQL does the same). */
    synchronized void setSockets(String socketDirectory, String listenAddress) throws IOException {
        lines.set(4, socketDirectory);
        lines.set(5, listenAddress);
        setStatus(lines.get(7));
    }

    synchronized void delete() throws IOException {
        Files.deleteIfExists(path);
    }

    Path path() {
        return path;
    }

    private String text() {
        return String.join("\n", lines) + "\n";
    }
}
