/*
 * SimpleLru: a simple LRU of 8 KB page buffers in shared memory over a directory of segment
 * files (PostgreSQL: access/transam/slru.c). pg_xact uses it now; pg_subtrans, pg_multixact and
 * pg_commit_ts can later.
 *
 * The region (named as the caller says, "Xact" for the commit log) holds one 8 KB block of
 * control data -- per slot its page number, status, dirty flag, LRU count and the highest LSN
 * set on the page -- followed by the slots' pages. Segment files hold 32 pages each and are
 * named by their number in four hex digits: pg_xact/0000, 0001, ...
 *
 * Locking (simpler than PostgreSQL's): one read-write lock per SLRU. Reading a resident page
 * takes it shared; loading, changing, writing and truncating take it exclusive, and page I/O
 * happens under it (PostgreSQL drops the control lock during I/O and uses per-buffer locks).
 * WAL rule: a dirty page is written only after WalFlush.flush(its highest LSN). Once the
 * postmaster discards the shared memory after a crash, no page is written and no segment removed
 * (FATAL 57P02): the pages are rebuilt from WAL.
 *
 * Entry points: readPage() (SimpleLruReadPage), zeroPage() (SimpleLruZeroPage), writeAll()
 * (SimpleLruWriteAll + fsync), truncate() (SimpleLruTruncate), lock().
 * See also: Clog -- the commit log on top of it.
 */
package org.osgres.clog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiPredicate;

import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;
import org.osgres.api.shmem.CrashShutdown;
import org.osgres.api.shmem.SharedMemory;
import org.osgres.api.shmem.SharedRegion;
import org.osgres.api.wal.WalFlush;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

final class SimpleLru {
    private static final Logger LOG = LoggerFactory.getLogger(SimpleLru.class);
    static final int BLCKSZ = 8192;
    static final int PAGES_PER_SEGMENT = 32;

    /** SlruPageStatus. */
    static final int EMPTY = 0;
    static final int VALID = 2;

    // control block layout: header, then one 24-byte entry per slot
    private static final int OFF_CUR_LRU_COUNT = 0;
    private static final int OFF_LATEST_PAGE = 4;
    private static final int SLOTS_AT = 64;
    private static final int SLOT_SIZE = 24;
    private static final int S_PAGENO = 0;
    private static final int S_STATUS = 4;
    private static final int S_DIRTY = 8;
    private static final int S_LRU = 12;
    private static final int S_LSN = 16;

    private final String name;
    private final Path directory;
    private final int nSlots;
    private final ByteBuffer control;
    private final ByteBuffer[] pages;
    private final WalFlush wal;
    private final SharedMemory shmem;
    /** PagePrecedes of the SLRU's user: page order modulo wraparound. */
    private final BiPredicate<Integer, Integer> pagePrecedes;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /** Segments written since the last writeAll (their fsync is the checkpoint's). */
    private final Set<Integer> unsyncedSegments = new HashSet<>();

    SimpleLru(String name, SharedMemory shmem, int nSlots, Path directory, WalFlush wal,
            BiPredicate<Integer, Integer> pagePrecedes) {
        if (SLOTS_AT + nSlots * SLOT_SIZE > BLCKSZ) {
            throw new IllegalArgumentException("too many SLRU buffers: " + nSlots);
        }
        this.name = name;
        this.directory = directory;
        this.nSlots = nSlots;
        this.wal = wal;
        this.shmem = shmem;
        this.pagePrecedes = pagePrecedes;
        SharedRegion region = shmem.region(name, (long) (nSlots + 1) * BLCKSZ);
        this.control = region.slice(0, BLCKSZ);
        this.pages = new ByteBuffer[nSlots];
        for (int i = 0; i < nSlots; i++) {
            pages[i] = region.slice((long) (i + 1) * BLCKSZ, BLCKSZ);
        }
        control.putInt(OFF_LATEST_PAGE, -1);
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "could not create directory \"" + directory + "\": " + e.getMessage(), e);
        }
    }

    ReentrantReadWriteLock lock() {
        return lock;
    }

    int slots() {
        return nSlots;
    }

    ByteBuffer page(int slot) {
        return pages[slot];
    }

    private int slotInt(int slot, int field) {
        return control.getInt(SLOTS_AT + slot * SLOT_SIZE + field);
    }

    private void setSlotInt(int slot, int field, int value) {
        control.putInt(SLOTS_AT + slot * SLOT_SIZE + field, value);
    }

    int pageno(int slot) {
        return slotInt(slot, S_PAGENO);
    }

    boolean isValid(int slot) {
        return slotInt(slot, S_STATUS) == VALID;
    }

    boolean isDirty(int slot) {
        return slotInt(slot, S_DIRTY) != 0;
    }

    /** Marks a slot dirty and raises its LSN; exclusive lock held. */
    void markDirty(int slot, long lsn) {
        setSlotInt(slot, S_DIRTY, 1);
        int at = SLOTS_AT + slot * SLOT_SIZE + S_LSN;
        if (Long.compareUnsigned(lsn, control.getLong(at)) > 0) {
            control.putLong(at, lsn);
        }
    }

    /** The highest LSN set on the slot's page. */
    long pageLsn(int slot) {
        return control.getLong(SLOTS_AT + slot * SLOT_SIZE + S_LSN);
    }

    /** Marks a slot recently used (PostgreSQL: SlruRecentlyUsed; racy under the shared lock, as there). */
    private void recentlyUsed(int slot) {
        int count = control.getInt(OFF_CUR_LRU_COUNT);
        if (slotInt(slot, S_LRU) != count) {
            control.putInt(OFF_CUR_LRU_COUNT, ++count);
            setSlotInt(slot, S_LRU, count);
        }
    }

    /** The slot holding the page, or -1; shared or exclusive lock held (PostgreSQL: SimpleLruReadPage_ReadOnly's search). */
    int findSlot(int pageno) {
        for (int slot = 0; slot < nSlots; slot++) {
            if (isValid(slot) && pageno(slot) == pageno) {
                recentlyUsed(slot);
                return slot;
            }
        }
        return -1;
    }

    /**
     * The slot holding the page, reading it in if needed; exclusive lock held (PostgreSQL:
     * SimpleLruReadPage). {@code xid} names the transaction in errors.
     */
    int readPage(int pageno, int xid) {
        int slot = findSlot(pageno);
        if (slot >= 0) {
            return slot;
        }
        slot = victimSlot();
        readPhysical(pageno, slot, xid);
        setSlotInt(slot, S_PAGENO, pageno);
        setSlotInt(slot, S_STATUS, VALID);
        setSlotInt(slot, S_DIRTY, 0);
        control.putLong(SLOTS_AT + slot * SLOT_SIZE + S_LSN, 0L);
        recentlyUsed(slot);
        return slot;
    }

    /** A new page, all zeroes, dirty (PostgreSQL: SimpleLruZeroPage); exclusive lock held. */
    int zeroPage(int pageno) {
        int slot = findSlot(pageno);
        if (slot < 0) {
            slot = victimSlot();
        }
        ByteBuffer p = pages[slot];
        for (int i = 0; i < BLCKSZ; i += 8) {
            p.putLong(i, 0L);
        }
        setSlotInt(slot, S_PAGENO, pageno);
        setSlotInt(slot, S_STATUS, VALID);
        control.putLong(SLOTS_AT + slot * SLOT_SIZE + S_LSN, 0L);
        markDirty(slot, 0L);
        recentlyUsed(slot);
        control.putInt(OFF_LATEST_PAGE, pageno);
        return slot;
    }

    /** The latest page zeroed (PostgreSQL: latest_page_number), or -1. */
    int latestPage() {
        return control.getInt(OFF_LATEST_PAGE);
    }

    /** An empty slot, or the least recently used one after writing it out if dirty (PostgreSQL: SlruSelectLRUPage). */
    private int victimSlot() {
        int best = -1;
        int bestAge = -1;
        int cur = control.getInt(OFF_CUR_LRU_COUNT);
        for (int slot = 0; slot < nSlots; slot++) {
            if (!isValid(slot)) {
                return slot;
            }
            if (pageno(slot) == latestPage()) {
                continue; // never evict the latest page, as PostgreSQL
            }
            int age = cur - slotInt(slot, S_LRU);
            if (age > bestAge) {
                bestAge = age;
                best = slot;
            }
        }
        if (best < 0) {
            best = 0;
        }
        if (isDirty(best)) {
            writePage(best);
        }
        setSlotInt(best, S_STATUS, EMPTY);
        return best;
    }

    static String segmentName(int segno) {
        return String.format("%04X", segno);
    }

    private String segmentPath(int segno) {
        return directory.getFileName() + "/" + segmentName(segno);
    }

    private void readPhysical(int pageno, int slot, int xid) {
        int segno = pageno / PAGES_PER_SEGMENT;
        long offset = (long) (pageno % PAGES_PER_SEGMENT) * BLCKSZ;
        ByteBuffer dst = pages[slot].duplicate().clear();
        try (FileChannel ch = FileChannel.open(directory.resolve(segmentName(segno)), StandardOpenOption.READ)) {
            while (dst.hasRemaining()) {
                if (ch.read(dst, offset + dst.position()) < 0) {
                    throw ioError(xid, "Could not read from file \"" + segmentPath(segno) + "\" at offset " + offset
                            + ": read too few bytes.", SqlState.INTERNAL_ERROR, null);
                }
            }
        } catch (NoSuchFileException e) {
            throw ioError(xid, "Could not open file \"" + segmentPath(segno) + "\": No such file or directory.",
                    SqlState.UNDEFINED_FILE, e);
        } catch (IOException e) {
            throw ioError(xid, "Could not read from file \"" + segmentPath(segno) + "\" at offset " + offset + ": "
                    + e.getMessage() + ".", SqlState.IO_ERROR, e);
        }
    }

    /** Whether the postmaster threw the shared memory away after a crash (then nothing of it may reach disk). */
    boolean discarded() {
        return shmem.discarded();
    }

    /** Refuses a write once the shared memory is discarded: a backend still holding it must not write. */
    private void checkNotDiscarded() {
        CrashShutdown.check(shmem);
    }

    /** PostgreSQL: SlruReportIOError. */
    private static PgException ioError(int xid, String detail, SqlState state, Throwable cause) {
        return new PgException(state, "could not access status of transaction " + Integer.toUnsignedString(xid), cause)
                .withDetail(detail);
    }

    /** Writes a slot's page, WAL first (PostgreSQL: SlruInternalWritePage); exclusive lock held. */
    void writePage(int slot) {
        int pageno = pageno(slot);
        wal.flush(pageLsn(slot));
        checkNotDiscarded();
        int segno = pageno / PAGES_PER_SEGMENT;
        long offset = (long) (pageno % PAGES_PER_SEGMENT) * BLCKSZ;
        ByteBuffer src = pages[slot].duplicate().clear();
        try (FileChannel ch = FileChannel.open(directory.resolve(segmentName(segno)), StandardOpenOption.WRITE,
                StandardOpenOption.CREATE)) {
            while (src.hasRemaining()) {
                ch.write(src, offset + src.position());
            }
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "could not access status of transaction "
                    + Integer.toUnsignedString(pageno * Clog.XACTS_PER_PAGE), e)
                    .withDetail("Could not write to file \"" + segmentPath(segno) + "\" at offset " + offset + ": "
                            + e.getMessage() + ".");
        }
        setSlotInt(slot, S_DIRTY, 0);
        unsyncedSegments.add(segno);
    }

    /** Writes every dirty page and fsyncs the segments written (PostgreSQL: SimpleLruWriteAll + fsync); exclusive lock held. */
    void writeAll() {
        for (int slot = 0; slot < nSlots; slot++) {
            if (isValid(slot) && isDirty(slot)) {
                writePage(slot);
            }
        }
        for (Integer segno : unsyncedSegments) {
            try (FileChannel ch = FileChannel.open(directory.resolve(segmentName(segno)), StandardOpenOption.WRITE)) {
                ch.force(true);
            } catch (NoSuchFileException e) {
                // truncated meanwhile
            } catch (IOException e) {
                throw new PgException(SqlState.IO_ERROR, "could not fsync file \"" + segmentPath(segno) + "\": "
                        + e.getMessage(), e).withSeverity(Severity.PANIC);
            }
        }
        unsyncedSegments.clear();
    }

    /**
     * Removes every segment wholly before cutoffPage's segment and forgets their pages
     * (PostgreSQL: SimpleLruTruncate with SlruMayDeleteSegment); exclusive lock held.
     */
    void truncate(int cutoffPage) {
        checkNotDiscarded();
        cutoffPage -= cutoffPage % PAGES_PER_SEGMENT;
        int latest = latestPage();
        if (latest >= 0 && pagePrecedes.test(latest, cutoffPage)) {
            LOG.info("could not truncate directory \"{}\": apparent wraparound", directory.getFileName());
            return;
        }
        for (int slot = 0; slot < nSlots; slot++) {
            if (isValid(slot) && pagePrecedes.test(pageno(slot), cutoffPage)) {
                setSlotInt(slot, S_STATUS, EMPTY);
                setSlotInt(slot, S_DIRTY, 0);
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path f : files) {
                String n = f.getFileName().toString();
                if (!n.matches("[0-9A-F]{4}")) {
                    continue;
                }
                int segpage = Integer.parseInt(n, 16) * PAGES_PER_SEGMENT;
                if (pagePrecedes.test(segpage, cutoffPage) && pagePrecedes.test(segpage + PAGES_PER_SEGMENT - 1, cutoffPage)) {
                    LOG.debug("removing file \"{}/{}\"", directory.getFileName(), n);
                    Files.deleteIfExists(f);
                    unsyncedSegments.remove(Integer.parseInt(n, 16));
                }
            }
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "could not truncate directory \"" + directory.getFileName()
                    + "\": " + e.getMessage(), e);
        }
    }

    String name() {
        return name;
    }
}
