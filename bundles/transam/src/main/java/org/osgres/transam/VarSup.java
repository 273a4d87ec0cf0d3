/*
 * VarSup: transaction id assignment (PostgreSQL: access/transam/varsup.c GetNewTransactionId).
 *
 * nextXid counts up from FirstNormalTransactionId (3) and never repeats across restarts. Until WAL
 * and pg_control carry it, a high-water mark in global/osgres_xid does, as PostgreSQL's old XID
 * prefetch did: before an xid at or past the mark is handed out, the mark moves XID_PREFETCH
 * further and the file is fsynced. The file also holds where the current run started, so the
 * next start knows which xids this run may have used.
 *
 * Startup (StartupXLOG's part, until redo exists): every xid from the previous run's start to
 * its mark that the commit log still shows in progress belonged to a transaction cut off by a
 * crash, and is marked aborted (PostgreSQL reaches the same result through the absence of a
 * commit record). The new run starts at the old mark.
 *
 * After a crash (the shared memory discarded) the mark is never written again and no xid is
 * handed out: the next start must see the mark this run left, as after any crash.
 *
 * Entry points: startup(), getNewTransactionId(), readNextXid(), shutdown().
 * See also: XactManager; Clog (extend before use).
 */
package org.osgres.transam;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.BooleanSupplier;

import org.osgres.api.clog.CommitLog;
import org.osgres.api.clog.XidStatus;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.xact.TransactionIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class VarSup {
    private static final Logger LOG = LoggerFactory.getLogger(VarSup.class);
    /** How far the persisted mark runs ahead of nextXid (the old VAR_XID_PREFETCH). */
    static final int XID_PREFETCH = 1024;
    /** The file under the data directory. */
    static final String FILE = "global/osgres_xid";

    private final Path file;
    private final CommitLog clog;
    /** Whether the shared memory was discarded after a crash. */
    private final BooleanSupplier discarded;
    /** Guarded by the caller (ProcArray's lock, as XidGenLock). */
    private int nextXid;
    private int xidLimit;
    private int runStart;

    VarSup(Path dataDirectory, CommitLog clog, BooleanSupplier discarded) {
        this.file = dataDirectory.resolve(FILE);
        this.clog = clog;
        this.discarded = discarded;
    }

    /**
     * Reads the mark, aborts what the last run left in progress, and persists the new run's
     * start. Returns the number of xids marked aborted.
     */
    int startup() {
        int prevStart = TransactionIds.FIRST_NORMAL;
        int prevLimit = TransactionIds.FIRST_NORMAL;
        if (Files.exists(file)) {
            String[] parts = read().trim().split("\\s+");
            prevStart = Integer.parseUnsignedInt(parts[0]);
            prevLimit = Integer.parseUnsignedInt(parts[1]);
        }
        int aborted = 0;
        for (int xid = prevStart; xid != prevLimit; xid = TransactionIds.advance(xid)) {
            if (xid == prevStart || Integer.remainderUnsigned(xid, CommitLog.XACTS_PER_PAGE) == 0) {
                ensurePage(xid);
            }
            if (clog.status(xid) == XidStatus.IN_PROGRESS) {
                clog.setStatus(xid, XidStatus.ABORTED, 0);
                aborted++;
            }
        }
        nextXid = prevLimit;
        ensurePage(nextXid);
        clog.checkpoint();
        runStart = nextXid;
        xidLimit = nextXid;
        write(runStart, xidLimit);
        if (aborted > 0) {
            LOG.info("marked {} transactions in progress at the last stop as aborted (xids {} to {})", aborted,
                    Integer.toUnsignedString(prevStart), Integer.toUnsignedString(prevLimit));
        }
        return aborted;
    }

    /**
     * Makes sure the commit log page of xid exists: a page no xid of which was ever used (its
     * file or its part of the file missing) is zeroed, all in progress (ExtendCLOG).
     */
    private void ensurePage(int xid) {
        try {
            clog.status(xid);
        } catch (PgException e) {
            if (e.sqlState() != SqlState.UNDEFINED_FILE && e.sqlState() != SqlState.INTERNAL_ERROR) {
                throw e;
            }
            clog.extend(xid - Integer.remainderUnsigned(xid, CommitLog.XACTS_PER_PAGE));
        }
    }

    /** GetNewTransactionId; caller holds the proc array's exclusive lock. */
    int getNewTransactionId() {
        if (discarded.getAsBoolean()) {
            throw XactManager.crashShutdown();
        }
        int xid = nextXid;
        if (xid == xidLimit) {
            xidLimit = xid + XID_PREFETCH;
            if (!TransactionIds.isNormal(xidLimit)) {
                xidLimit = TransactionIds.FIRST_NORMAL + XID_PREFETCH;
            }
            write(runStart, xidLimit);
        }
        clog.extend(xid);
        nextXid = TransactionIds.advance(xid);
        return xid;
    }

    /** ReadNextTransactionId; caller holds the proc array's lock. */
    int readNextXid() {
        return nextXid;
    }

    /** Clean shutdown: the mark becomes exactly nextXid, so the next start skips nothing. */
    void shutdown() {
        runStart = nextXid;
        xidLimit = nextXid;
        write(runStart, xidLimit);
    }

    private String read() {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "could not read file \"" + FILE + "\": " + e.getMessage(), e);
        }
    }

    /** Writes "start limit" to a temporary file, fsyncs it, renames it over the file, fsyncs the directory. */
    private void write(int start, int limit) {
        if (discarded.getAsBoolean()) {
            throw XactManager.crashShutdown();
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        byte[] bytes = (Integer.toUnsignedString(start) + " " + Integer.toUnsignedString(limit) + "\n")
                .getBytes(StandardCharsets.US_ASCII);
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                dir.force(true);
            } catch (IOException e) {
                // some file systems cannot fsync a directory; the rename is then as durable as they make it
            }
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "could not write file \"" + FILE + "\": " + e.getMessage(), e);
        }
    }
}
