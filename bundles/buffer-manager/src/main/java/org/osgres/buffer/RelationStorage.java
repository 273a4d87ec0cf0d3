/*
 * RelationStorage: the storage manager, relation forks as files (PostgreSQL: storage/smgr/smgr.c
 * and md.c, the magnetic disk manager, with sync.c's pending fsyncs).
 *
 * A fork is a chain of segment files of RELSEG_SIZE blocks (1 GB): base/<db>/<relfilenode>,
 * then .1, .2, ...; the fsm, vm and init forks add _fsm, _vm, _init. Shared catalogs live in
 * global/, other tablespaces under pg_tblspc/<oid>/PG_15_202209061/. Blocks are read and written
 * with positional FileChannel I/O, which many threads can do at once on one channel. A write
 * registers its segment for the next sync() (the checkpoint's fsync pass); immedsync() forces at once.
 *
 * Entry points: read(), write(), extend(), nblocks(), exists(), create(), truncate(), unlink(),
 * immedsync(), sync(), close().
 * See also: SharedBufferPool -- the only caller; org.osgres.api.buffer.Page -- what the blocks hold.
 */
package org.osgres.buffer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

final class RelationStorage implements AutoCloseable {
    /** RELSEG_SIZE: blocks per segment file, 1 GB of 8 KB blocks. */
    static final int RELSEG_SIZE = 131072;
    /** TABLESPACE_VERSION_DIRECTORY of PostgreSQL 15. */
    static final String TABLESPACE_VERSION_DIRECTORY = "PG_15_202209061";

    private final Path dataDirectory;
    private final int blocksPerSegment;
    /** Open segment files per fork (PostgreSQL: the SMgrRelation's md_seg_fds). */
    private final ConcurrentHashMap<RelFork, Segments> open = new ConcurrentHashMap<>();
    /**
     * The forks' sizes in blocks as last measured or extended (PostgreSQL: smgr_cached_nblocks).
     * Every extension, truncation and unlink goes through this one storage manager, so the cache
     * is exact and nblocks() need not ask the file system each time (a heap fetch checks it).
     */
    private final ConcurrentHashMap<RelFork, Long> cachedNblocks = new ConcurrentHashMap<>();
    /** Segments written since the last sync() (PostgreSQL: the checkpointer's pending-ops table). */
    private final Set<Segment> pendingSync = ConcurrentHashMap.newKeySet();

    record RelFork(RelFileLocator rel, ForkNumber fork) {
    }

    private record Segment(RelFork fork, int segno) {
    }

    /** The open files of one fork, by segment number; null where not yet opened. */
    private static final class Segments {
        final List<FileChannel> channels = new ArrayList<>();
    }

    RelationStorage(Path dataDirectory) {
        this(dataDirectory, RELSEG_SIZE);
    }

    /** With a smaller segment size, for tests of the segment logic (PostgreSQL: --with-segsize). */
    RelationStorage(Path dataDirectory, int blocksPerSegment) {
        this.dataDirectory = dataDirectory;
        this.blocksPerSegment = blocksPerSegment;
    }

    /** The fork's path relative to the data directory (PostgreSQL: relpath()). */
    static String relpath(RelFileLocator rel, ForkNumber fork) {
        String relNumber = Integer.toUnsignedString(rel.relNumber()) + fork.suffix();
        if (rel.spcOid() == RelFileLocator.GLOBAL_TABLESPACE_OID) {
            return "global/" + relNumber;
        }
        String db = Integer.toUnsignedString(rel.dbOid());
        if (rel.spcOid() == RelFileLocator.DEFAULT_TABLESPACE_OID) {
            return "base/" + db + "/" + relNumber;
        }
        return "pg_tblspc/" + Integer.toUnsignedString(rel.spcOid()) + "/" + TABLESPACE_VERSION_DIRECTORY + "/" + db
                + "/" + relNumber;
    }

    /** A segment's path relative to the data directory (PostgreSQL: _mdfd_segpath). */
    static String segpath(RelFileLocator rel, ForkNumber fork, int segno) {
        return segno == 0 ? relpath(rel, fork) : relpath(rel, fork) + "." + segno;
    }

    private Path file(RelFork f, int segno) {
        return dataDirectory.resolve(segpath(f.rel, f.fork, segno));
    }

    /**
     * The channel of a segment, opening it if needed; null when the file does not exist and
     * {@code create} is false.
     */
    private FileChannel channel(RelFork f, int segno, boolean create) {
        Segments segs = open.computeIfAbsent(f, k -> new Segments());
        synchronized (segs) {
            while (segs.channels.size() <= segno) {
                segs.channels.add(null);
            }
            FileChannel ch = segs.channels.get(segno);
            if (ch != null && ch.isOpen()) {
                return ch;
            }
            Path p = file(f, segno);
            try {
                if (create) {
                    Files.createDirectories(p.getParent());
                    ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
                } else {
                    ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
                }
            } catch (NoSuchFileException e) {
                return null;
            } catch (IOException e) {
                throw fileError("could not open file \"" + segpath(f.rel, f.fork, segno) + "\": " + e.getMessage(), e);
            }
            segs.channels.set(segno, ch);
            return ch;
        }
    }

    private static PgException fileError(String message, IOException e) {
        SqlState state = e instanceof NoSuchFileException ? SqlState.UNDEFINED_FILE : SqlState.IO_ERROR;
        return new PgException(state, message, e);
    }

    private int segno(long block) {
        return (int) (block / blocksPerSegment);
    }

    private long offset(long block) {
        return (block % blocksPerSegment) * Page.SIZE;
    }

    /**
     * Reads a block into {@code dst} (8192 bytes from its position) (PostgreSQL: mdread).
     *
     * @throws PgException XX001 "could not read block %u in file ...: read only %d of %d bytes" past
     *         the end; 58P01 when the segment file does not exist
     */
    void read(RelFileLocator rel, ForkNumber fork, long block, ByteBuffer dst) {
        RelFork f = new RelFork(rel, fork);
        int segno = segno(block);
        FileChannel ch = channel(f, segno, false);
        if (ch == null) {
            throw openFailure(f, segno, block);
        }
        int start = dst.position();
        long pos = offset(block);
        try {
            while (dst.position() - start < Page.SIZE) {
                int n = ch.read(dst, pos + dst.position() - start);
                if (n < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "could not read block " + block + " in file \""
                    + segpath(rel, fork, segno) + "\": " + e.getMessage(), e);
        }
        int got = dst.position() - start;
        if (got != Page.SIZE) {
            throw new PgException(SqlState.DATA_CORRUPTED, "could not read block " + block + " in file \""
                    + segpath(rel, fork, segno) + "\": read only " + got + " of " + Page.SIZE + " bytes");
        }
    }

    /** The error for a block in a segment that does not exist (PostgreSQL: _mdfd_getseg with EXTENSION_FAIL). */
    private PgException openFailure(RelFork f, int segno, long block) {
        if (segno == 0) {
            return new PgException(SqlState.UNDEFINED_FILE, "could not open file \"" + segpath(f.rel, f.fork, 0)
                    + "\": No such file or directory");
        }
        long nblocks = nblocks(f.rel, f.fork);
        long inLast = nblocks - (long) (nblocks / blocksPerSegment) * blocksPerSegment;
        if (nblocks < (long) segno * blocksPerSegment) {
            return new PgException(SqlState.UNDEFINED_FILE, "could not open file \"" + segpath(f.rel, f.fork, segno)
                    + "\" (target block " + block + "): previous segment is only " + inLast + " blocks");
        }
        return new PgException(SqlState.UNDEFINED_FILE, "could not open file \"" + segpath(f.rel, f.fork, segno)
                + "\" (target block " + block + "): No such file or directory");
    }

    /** Writes a block from {@code src} (8192 bytes from its position) (PostgreSQL: mdwrite). */
    void write(RelFileLocator rel, ForkNumber fork, long block, ByteBuffer src) {
        writeBlock(rel, fork, block, src, "could not write block ");
    }

    /** Writes a block at or past the end, growing the file (PostgreSQL: mdextend). */
    void extend(RelFileLocator rel, ForkNumber fork, long block, ByteBuffer src) {
        writeBlock(rel, fork, block, src, "could not extend file ");
    }

    private void writeBlock(RelFileLocator rel, ForkNumber fork, long block, ByteBuffer src, String what) {
        RelFork f = new RelFork(rel, fork);
        writeBlockAt(f, block, src, what);
        cachedNblocks.computeIfPresent(f, (k, n) -> Math.max(n, block + 1));
    }

    private void writeBlockAt(RelFork f, long block, ByteBuffer src, String what) {
        RelFileLocator rel = f.rel();
        ForkNumber fork = f.fork();
        int segno = segno(block);
        FileChannel ch = channel(f, segno, true);
        long pos = offset(block);
        ByteBuffer b = src.duplicate();
        b.limit(b.position() + Page.SIZE);
        try {
            while (b.hasRemaining()) {
                ch.write(b, pos + Page.SIZE - b.remaining());
            }
        } catch (IOException e) {
            String m = what.startsWith("could not write") ? what + block + " in file \"" + segpath(rel, fork, segno) + "\""
                    : what + "\"" + segpath(rel, fork, segno) + "\"";
            SqlState state = e.getMessage() != null && e.getMessage().contains("No space left") ? SqlState.DISK_FULL
                    : SqlState.IO_ERROR;
            throw new PgException(state, m + ": " + e.getMessage(), e);
        }
        pendingSync.add(new Segment(f, segno));
    }

    /**
     * The number of blocks in the fork (PostgreSQL: mdnblocks): full segments, then the size of
     * the last one.
     *
     * @throws PgException 58P01 when the fork has no file
     */
    long nblocks(RelFileLocator rel, ForkNumber fork) {
        RelFork f = new RelFork(rel, fork);
        Long cached = cachedNblocks.get(f);
        if (cached != null) {
            return cached;
        }
        long n = measureNblocks(f);
        cachedNblocks.merge(f, n, Math::max);
        return n;
    }

    /** mdnblocks: the sizes of the segments on disk. */
    private long measureNblocks(RelFork f) {
        RelFileLocator rel = f.rel();
        ForkNumber fork = f.fork();
        long total = 0;
        for (int segno = 0;; segno++) {
            FileChannel ch = channel(f, segno, false);
            if (ch == null) {
                if (segno == 0) {
                    throw openFailure(f, 0, 0);
                }
                return total;
            }
            long blocks;
            try {
                blocks = ch.size() / Page.SIZE;
            } catch (IOException e) {
                throw new PgException(SqlState.IO_ERROR, "could not seek to end of file \"" + segpath(rel, fork, segno)
                        + "\": " + e.getMessage(), e);
            }
            total += blocks;
            if (blocks < blocksPerSegment) {
                return total;
            }
        }
    }

    /** Whether the fork's first segment exists (PostgreSQL: mdexists). */
    boolean exists(RelFileLocator rel, ForkNumber fork) {
        return Files.exists(dataDirectory.resolve(relpath(rel, fork)));
    }

    /** Creates the fork's first segment, empty, if it does not exist (PostgreSQL: mdcreate with isRedo). */
    void create(RelFileLocator rel, ForkNumber fork) {
        channel(new RelFork(rel, fork), 0, true);
    }

    /** Cuts the fork to {@code nblocks} blocks, removing whole segments past it (PostgreSQL: mdtruncate). */
    void truncate(RelFileLocator rel, ForkNumber fork, long nblocks) {
        RelFork f = new RelFork(rel, fork);
        long current = nblocks(rel, fork);
        cachedNblocks.remove(f); // measured again after the cut
        if (nblocks > current) {
            throw new PgException(SqlState.INTERNAL_ERROR, "could not truncate file \"" + relpath(rel, fork)
                    + "\" to " + nblocks + " blocks: it's only " + current + " blocks now");
        }
        int lastSeg = segno(Math.max(current - 1, 0));
        for (int segno = lastSeg; segno >= 0; segno--) {
            long segStart = (long) segno * blocksPerSegment;
            FileChannel ch = channel(f, segno, false);
            if (ch == null) {
                continue;
            }
            try {
                if (nblocks <= segStart && segno > 0) {
                    closeSegment(f, segno);
                    Files.deleteIfExists(file(f, segno));
                } else if (nblocks < segStart + blocksPerSegment) {
                    ch.truncate((nblocks - segStart) * Page.SIZE);
                }
            } catch (IOException e) {
                throw new PgException(SqlState.IO_ERROR, "could not truncate file \"" + segpath(rel, fork, segno)
                        + "\" to " + nblocks + " blocks: " + e.getMessage(), e);
            }
        }
        cachedNblocks.remove(f); // and once more, should a reader have measured it mid-cut
    }

    private void closeSegment(RelFork f, int segno) throws IOException {
        Segments segs = open.get(f);
        if (segs == null) {
            return;
        }
        synchronized (segs) {
            if (segno < segs.channels.size() && segs.channels.get(segno) != null) {
                segs.channels.get(segno).close();
                segs.channels.set(segno, null);
            }
        }
    }

    /** Removes every segment of every fork of the relation (PostgreSQL: mdunlink). */
    void unlink(RelFileLocator rel) {
        for (ForkNumber fork : ForkNumber.values()) {
            RelFork f = new RelFork(rel, fork);
            cachedNblocks.remove(f);
            Segments segs = open.remove(f);
            if (segs != null) {
                synchronized (segs) {
                    for (FileChannel ch : segs.channels) {
                        closeQuietly(ch);
                    }
                }
            }
            pendingSync.removeIf(s -> s.fork.equals(f));
            for (int segno = 0;; segno++) {
                try {
                    if (!Files.deleteIfExists(file(f, segno))) {
                        break;
                    }
                } catch (IOException e) {
                    throw new PgException(SqlState.IO_ERROR, "could not remove file \"" + segpath(rel, fork, segno)
                            + "\": " + e.getMessage(), e);
                }
            }
        }
    }

    /** Fsyncs every segment of the fork now (PostgreSQL: mdimmedsync). */
    void immedsync(RelFileLocator rel, ForkNumber fork) {
        RelFork f = new RelFork(rel, fork);
        for (int segno = 0;; segno++) {
            FileChannel ch = channel(f, segno, false);
            if (ch == null) {
                return;
            }
            force(ch, f, segno);
            pendingSync.remove(new Segment(f, segno));
        }
    }

    /**
     * Fsyncs every segment written since the last call (PostgreSQL: ProcessSyncRequests); returns
     * how many files, the longest fsync and their sum, for the checkpoint's log line.
     */
    BufferManager.SyncResult sync() {
        int files = 0;
        long longest = 0;
        long total = 0;
        for (Segment s : List.copyOf(pendingSync)) {
            pendingSync.remove(s);
            FileChannel ch = channel(s.fork, s.segno, false);
            if (ch != null) {
                long t0 = System.nanoTime();
                force(ch, s.fork, s.segno);
                long took = System.nanoTime() - t0;
                files++;
                longest = Math.max(longest, took);
                total += took;
            }
        }
        return new BufferManager.SyncResult(files, longest, total);
    }

    private static void force(FileChannel ch, RelFork f, int segno) {
        try {
            ch.force(true);
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "could not fsync file \"" + segpath(f.rel, f.fork, segno)
                    + "\": " + e.getMessage(), e).withSeverity(org.osgres.api.error.Severity.PANIC);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) {
            return;
        }
        try {
            ch.close();
        } catch (IOException e) {
            // closing after use: nothing to recover
        }
    }

    /** Closes every open file. */
    @Override
    public void close() {
        for (Segments segs : open.values()) {
            synchronized (segs) {
                segs.channels.forEach(RelationStorage::closeQuietly);
                segs.channels.clear();
            }
        }
        open.clear();
    }
}
