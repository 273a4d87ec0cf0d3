/*
 * Xlog: WAL insertion, the WAL buffers, write and flush (PostgreSQL: access/transam/xlog.c --
 * XLogInsertRecord, AdvanceXLInsertBuffer, XLogWrite, XLogFlush, XLogBackgroundFlush,
 * RequestXLogSwitch, CreateCheckPoint's record and control file part, ShutdownXLOG).
 *
 * The WAL buffers (WalBuffers) are wal_buffers pages of 8 KB in shared memory. Insertion runs under one insertion lock (PostgreSQL has NUM_XLOGINSERT_LOCKS = 8
 * and reserves space first; one lock keeps this simple): it places the record at the next
 * MAXALIGNed position, starts new pages with XLogPageHeaderData (XLP_FIRST_IS_CONTRECORD and
 * xlp_rem_len when a record continues), and before a buffer is reused for a new page the old
 * page must have been written (AdvanceXLInsertBuffer calling XLogWrite).
 *
 * Writing and fsync run under the write lock (WALWriteLock). Group commit: flush(lsn) takes the
 * write lock when it is free and writes and fsyncs everything inserted so far, not just up to
 * its own LSN; a flush that finds the lock taken waits for that flush to end (PostgreSQL:
 * LWLockAcquireOrWait) and then usually finds its LSN flushed, returning without an fsync of
 * its own. commit_delay and commit_siblings are not implemented (waiting out the running fsync
 * does the grouping). Lock order: insertion lock, then write lock; the writer never takes the
 * insertion lock.
 *
 * Until startup recovery ends (StartupXLog calls startInserting), only XLOG records may be
 * inserted and flush() has nothing to do: every page redo touches is covered by WAL on disk.
 * Once the shared memory is discarded after a crash, no WAL or pg_control write starts
 * (CrashShutdown, checked under their locks) and deactivation writes no shutdown checkpoint.
 *
 * Entry points: insert(), flush(), flushAsync(), switchSegment(), startCheckpoint(),
 * writeCheckpointRecord(), backgroundFlush() (the WAL writer), deactivate (the shutdown
 * checkpoint record).
 * See also: WalBuffers -- the buffers; XLogRecordFormat -- record bytes; WalSegments -- files; WalWriter -- the worker;
 * StartupXLog -- recovery; ControlFile -- pg_control; CrashShutdown -- writes refused after a crash.
 */
package org.osgres.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.buffer.Page;
import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;
import org.osgres.api.shmem.CrashShutdown;
import org.osgres.api.shmem.SharedMemory;
import org.osgres.api.wal.ControlFileData;
import org.osgres.api.wal.ControlFileData.CheckPoint;
import org.osgres.api.wal.ControlFileData.DbState;
import org.osgres.api.wal.WalFlush;
import org.osgres.api.wal.WalInsert;
import org.osgres.api.wal.WalRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.osgres.wal.XLogFormat.XLOG_BLCKSZ;

@Component(service = {WalInsert.class, WalFlush.class, Xlog.class}, immediate = true,
        property = WalFlush.RANKING + ":Integer=100")
public final class Xlog implements WalInsert {
    private static final Logger LOG = LoggerFactory.getLogger(Xlog.class);

    private final Settings settings;
    private final Path dataDirectory;
    private final WalSegments segments;
    private final int tli = XLogFormat.FIRST_TIMELINE;
    private final WalBuffers buffers;
    private final SharedMemory shmem;
    private volatile ControlFileData control;

    // ---- insertion state, under insertLock ----
    private final ReentrantLock insertLock = new ReentrantLock();
    /** Where the next byte goes; at a page start the page is not yet initialised. */
    private long curPos;
    /** Start of the last record inserted (xl_prev of the next). */
    private long prevRecord;
    /** RedoRecPtr: the redo point of the last checkpoint. */
    private volatile long redoPtr;
    /** The end of the last complete record: the writer writes up to here. */
    private volatile long insertEnd;
    /** How far bytes have been copied into the buffers, the record being inserted included. */
    private volatile long copiedUpTo;
    private volatile boolean inRecovery = true;
    /** Pages after a switch record up to the segment's end are never written: page start -> segment end. */
    private final ConcurrentSkipListMap<Long, Long> switchSkips = new ConcurrentSkipListMap<>();

    // ---- write state, under writeLock ----
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile long writtenUpTo;
    private volatile long flushedUpTo;
    private FileChannel openSegment;
    private long openSegno = -1;
    private WalSegments.SyncMethod openMethod;

    /** Where flush() waits while another backend holds the write lock. */
    private final ReentrantLock flushWaitLock = new ReentrantLock();
    private final Condition flushDone = flushWaitLock.newCondition();
    private final AtomicLong asyncXactLsn = new AtomicLong();
    private final AtomicLong syncCount = new AtomicLong();
    private final AtomicLong writeCount = new AtomicLong();
    private final ReentrantLock writerLatchLock = new ReentrantLock();
    private final Condition writerLatch = writerLatchLock.newCondition();
    private volatile boolean writerWakeup;
    /** The end of the last shutdown checkpoint record written while running; -1 when none. */
    private volatile long shutdownCheckpointEnd = -1;
    /** nextXid and nextOid for the shutdown checkpoint, as last told (StartupXLog's deactivation). */
    private volatile int shutdownNextXid;
    private volatile int shutdownNextOid;

    @Activate
    public Xlog(@Reference Settings settings, @Reference SharedMemory shmem) {
        this(settings, shmem, settings.dataDirectory());
    }

    Xlog(Settings settings, SharedMemory shmem, Path dataDirectory) {
        this.settings = settings;
        this.dataDirectory = dataDirectory;
        this.segments = new WalSegments(dataDirectory, tli);
        this.shmem = shmem;
        this.buffers = new WalBuffers(shmem, WalBuffers.count(settings.getInt("wal_buffers"),
                settings.getInt("shared_buffers")));
        this.control = StartupControlFile.readOrBootstrap(dataDirectory, segments);
        this.redoPtr = control.checkPointCopy().redo();
        this.shutdownNextXid = control.checkPointCopy().nextXid();
        this.shutdownNextOid = control.checkPointCopy().nextOid();
    }

    /**
     * Clean shutdown (PostgreSQL: ShutdownXLOG): the checkpointer wrote the shutdown checkpoint
     * when the postmaster shut down; this writes one only when that did not happen or WAL was
     * inserted since (a framework stopped without the postmaster's shutdown, tests), after the
     * buffer pool has written its pages (it references this service, so it is deactivated first).
     * After a crash (the shared memory discarded) it writes nothing.
     */
    @Deactivate
    void deactivate() {
        try {
            if (!inRecovery && insertEnd != shutdownCheckpointEnd && !discarded()) {
                // log_checkpoints is on by default in PostgreSQL 15
                LOG.info("checkpoint starting: shutdown immediate");
                long started = System.nanoTime();
                long at = writeCheckpoint(0, shutdownNextXid, shutdownNextOid, true, DbState.DB_SHUTDOWNED);
                LOG.info("checkpoint complete: shutdown; total={} s; lsn={}, redo lsn={}",
                        String.format("%.3f", (System.nanoTime() - started) / 1e9), WalInsert.formatLsn(at),
                        WalInsert.formatLsn(at));
            }
        } finally {
            closeSegment();
        }
    }

    // ---- state for the other classes of the bundle ----

    @Override
    public ControlFileData controlFile() {
        return control;
    }

    Path dataDirectory() {
        return dataDirectory;
    }

    WalSegments segments() {
        return segments;
    }

    boolean inRecovery() {
        return inRecovery;
    }

    /** Whether the postmaster threw the shared memory away after a crash: nothing more is written. */
    boolean discarded() {
        return shmem.discarded();
    }

    @Override
    public boolean recoveryInProgress() {
        return inRecovery;
    }

    /** Fsyncs (and synchronous writes) issued so far: the group-commit test counts them. */
    long syncCount() {
        return syncCount.get();
    }

    long writeCount() {
        return writeCount.get();
    }

    /** Remembers what the shutdown checkpoint will record (from the transaction manager). */
    void noteNextIds(int nextXid, int nextOid) {
        this.shutdownNextXid = nextXid;
        this.shutdownNextOid = nextOid;
    }

    /**
     * End of recovery (PostgreSQL: the end of StartupXLOG): inserting continues at {@code endOfLog},
     * the end of the last valid record, which started at {@code lastRecord}. The partial page
     * holding endOfLog is read back into its buffer; the rest of that segment is zeroed and
     * later segments are removed, so nothing of a crashed run's torn tail can be read as WAL.
     */
    void startInserting(long endOfLog, long lastRecord) {
        insertLock.lock();
        writeLock.lock();
        try {
            CrashShutdown.check(shmem); // it zeroes the last segment's tail and removes later ones
            long page = XLogFormat.pageStart(endOfLog);
            if (page != endOfLog) {
                ByteBuffer buf = ByteBuffer.allocate(XLOG_BLCKSZ);
                readPage(page, buf);
                buffers.load(page, buf, (int) (endOfLog - page));
            }
            long segno = XLogFormat.segmentOf(endOfLog);
            zeroSegmentTail(segno, page == endOfLog ? page : page + XLOG_BLCKSZ);
            segments.removeAfter(segno);
            curPos = endOfLog;
            prevRecord = lastRecord;
            insertEnd = endOfLog;
            copiedUpTo = endOfLog;
            writtenUpTo = endOfLog;
            flushedUpTo = endOfLog;
            inRecovery = false;
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "could not prepare WAL for writing: " + e.getMessage(), e)
                    .withSeverity(Severity.PANIC);
        } finally {
            writeLock.unlock();
            insertLock.unlock();
            wakeFlushWaiters();
        }
    }

    private void readPage(long pageAddr, ByteBuffer into) throws IOException {
        Path p = segments.path(XLogFormat.segmentOf(pageAddr));
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ByteBuffer dst = into.duplicate();
            long off = XLogFormat.segmentOffset(pageAddr);
            while (dst.hasRemaining()) {
                int n = ch.read(dst, off + dst.position());
                if (n < 0) {
                    break;
                }
            }
        }
    }

    private void zeroSegmentTail(long segno, long from) throws IOException {
        Path p = segments.path(segno);
        if (!Files.exists(p) || XLogFormat.segmentOf(from) != segno) {
            return;
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
            long off = XLogFormat.segmentOffset(from);
            while (off < XLogFormat.SEG_SIZE) {
                zeros.clear();
                zeros.limit((int) Math.min(zeros.capacity(), XLogFormat.SEG_SIZE - off));
                off += ch.write(zeros, off);
            }
            if (fsyncEnabled()) {
                ch.force(false);
            }
        }
    }

    // ---- settings (fsync, wal_sync_method and full_page_writes are sighup: read each time) ----

    private boolean fsyncEnabled() {
        return settings.getBool("fsync");
    }

    private boolean fullPageWrites() {
        return settings.getBool("full_page_writes");
    }

    private WalSegments.SyncMethod syncMethod() {
        return WalSegments.SyncMethod.of(settings.get("wal_sync_method"));
    }

    // ---- insert ----

    @Override
    public long insert(WalRecord record) {
        if (inRecovery && record.rmgrId() != WalRecord.RM_XLOG_ID) {
            throw new PgException(SqlState.INTERNAL_ERROR, "cannot make new WAL entries during recovery");
        }
        insertLock.lock();
        try {
            return insertLocked(withImages(record));
        } finally {
            insertLock.unlock();
        }
        // the caller flushes (commit) or stamps pages; a full buffer ring was written on the way
    }

    /** Decides the full-page images under the insertion lock (PostgreSQL: XLogRecordAssemble's doPageWrites). */
    private WalRecord withImages(WalRecord record) {
        boolean fpw = fullPageWrites();
        List<WalRecord.BlockReference> blocks = null;
        for (int i = 0; i < record.blocks().size(); i++) {
            WalRecord.BlockReference b = record.blocks().get(i);
            WalRecord.BlockReference out = b;
            if (b.page() != null) {
                out = fpw && !b.willInit() && !b.hasImage() && Page.lsn(b.page()) <= redoPtr
                        ? b.withImage(XLogRecordFormat.pageImage(b.page())) : b.withImage(b.image());
            }
            if (out != b) {
                if (blocks == null) {
                    blocks = new ArrayList<>(record.blocks());
                }
                blocks.set(i, out);
            }
        }
        if (blocks == null) {
            return record;
        }
        return WalRecord.decoded(record.rmgrId(), record.info(), record.xid(), record.mainData(), blocks);
    }

    /** The start the next record gets (insertion lock held). */
    private long nextRecordStart() {
        long pos = XLogFormat.maxAlign(curPos);
        if (XLogFormat.pageStart(pos) == pos) {
            pos += XLogFormat.pageHeaderSize(pos);
        }
        return pos;
    }

    /** Copies the record into the buffers (PostgreSQL: CopyXLogRecordToWAL); returns the MAXALIGNed end. */
    private long insertLocked(WalRecord record) {
        byte[] bytes = XLogRecordFormat.encode(record, prevRecord);
        long pos = XLogFormat.maxAlign(curPos);
        long start = -1;
        int done = 0;
        while (done < bytes.length) {
            if (XLogFormat.pageStart(pos) == pos) {
                boolean cont = done > 0;
                initPage(pos, cont ? bytes.length - done : 0, cont);
                pos += XLogFormat.pageHeaderSize(pos);
            }
            if (start < 0) {
                start = pos;
            }
            long pageEnd = XLogFormat.pageStart(pos) + XLOG_BLCKSZ;
            int n = (int) Math.min(bytes.length - done, pageEnd - pos);
            ByteBuffer page = buffers.page(XLogFormat.pageStart(pos));
            page.put((int) (pos - XLogFormat.pageStart(pos)), bytes, done, n);
            done += n;
            pos += n;
            copiedUpTo = pos;
        }
        long end = XLogFormat.maxAlign(pos);
        curPos = end;
        prevRecord = start;
        insertEnd = end;
        return end;
    }

    /** AdvanceXLInsertBuffer for one page: waits for the buffer's old page to be written, then formats it. */
    private void initPage(long pageAddr, int remLen, boolean contrecord) {
        long old = buffers.endOfPageIn(pageAddr);
        if (old > writtenUpTo) {
            write(old, false);
        }
        buffers.format(pageAddr, tli, remLen, contrecord, control.systemIdentifier());
    }

    @Override
    public long insertLsn() {
        insertLock.lock();
        try {
            return inRecovery ? 0 : nextRecordStart();
        } finally {
            insertLock.unlock();
        }
    }

    @Override
    public long writtenUpTo() {
        return writtenUpTo;
    }

    @Override
    public long flushedUpTo() {
        return inRecovery ? Long.MAX_VALUE : flushedUpTo;
    }

    @Override
    public int timeline() {
        return tli;
    }

    @Override
    public long redoPointer() {
        return redoPtr;
    }

    @Override
    public boolean needsFullPageImage(long pageLsn) {
        return fullPageWrites() && pageLsn <= redoPtr;
    }

    @Override
    public String walFileName(long lsn) {
        return XLogFormat.walFileName(tli, lsn);
    }

    // ---- write and flush ----

    @Override
    public void flush(long lsn) {
        if (inRecovery || lsn <= flushedUpTo) {
            return;
        }
        // PostgreSQL's LWLockAcquireOrWait on WALWriteLock: when someone is flushing, wait for
        // that flush to end rather than queue on the lock; most often it covered this LSN too
        // (its writer flushes everything inserted), and all waiters wake at once.
        while (lsn > flushedUpTo) {
            if (writeLock.tryLock()) {
                try {
                    write(lsn, true);
                } finally {
                    writeLock.unlock();
                    wakeFlushWaiters();
                }
                return;
            }
            flushWaitLock.lock();
            try {
                while (lsn > flushedUpTo && writeLock.isLocked()) {
                    flushDone.awaitUninterruptibly();
                }
            } finally {
                flushWaitLock.unlock();
            }
        }
    }

    private void wakeFlushWaiters() {
        flushWaitLock.lock();
        try {
            flushDone.signalAll();
        } finally {
            flushWaitLock.unlock();
        }
    }

    @Override
    public void flushAsync(long lsn) {
        long prev = asyncXactLsn.getAndAccumulate(lsn, Math::max);
        // wake the WAL writer when a page has filled since (PostgreSQL: XLogSetAsyncXactLSN)
        if (XLogFormat.pageStart(lsn) > XLogFormat.pageStart(Math.max(prev, flushedUpTo))) {
            wakeWalWriter();
        }
    }

    /**
     * XLogWrite: writes WAL up to at least {@code target} (and everything inserted so far), then
     * fsyncs when asked. Returns at once when someone else got there first.
     */
    void write(long target, boolean flush) {
        writeLock.lock();
        // FileChannel closes itself when the thread doing I/O on it is interrupted (a cancelled
        // backend, the WAL writer at shutdown): the interrupt is held back until the write is
        // done, and a channel closed under us is reopened and the write repeated (it rewrites
        // whole pages at fixed offsets, so doing it twice is harmless).
        boolean interrupted = Thread.interrupted();
        try {
            for (int attempt = 0;; attempt++) {
                try {
                    writeOnce(target, flush);
                    return;
                } catch (ClosedChannelException e) {
                    interrupted |= Thread.interrupted();
                    closeSegment();
                    if (attempt >= 3) {
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "could not write to WAL file \""
                    + XLogFormat.fileName(tli, openSegno) + "\": " + e.getMessage(), e).withSeverity(Severity.PANIC);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            writeLock.unlock();
            if (!writeLock.isHeldByCurrentThread()) {
                wakeFlushWaiters();
            }
        }
    }

    /** One attempt of write() (write lock held). */
    private void writeOnce(long target, boolean flush) throws IOException {
        if (flush ? flushedUpTo >= target : writtenUpTo >= target) {
            return;
        }
        CrashShutdown.check(shmem);
        long end = insertEnd;
        long upto = Math.min(Math.max(target, end), Math.max(end, copiedUpTo));
        if (target > upto) {
            throw new PgException(SqlState.INTERNAL_ERROR, "xlog flush request " + WalInsert.formatLsn(target)
                    + " is not satisfied --- flushed only to " + WalInsert.formatLsn(upto));
        }
        boolean fsync = fsyncEnabled();
        WalSegments.SyncMethod method = syncMethod();
        if (upto > writtenUpTo) {
            writePages(upto, fsync, method);
        }
        if (flush && flushedUpTo < writtenUpTo) {
            if (fsync && !method.syncsOnWrite()) {
                if (openSegment == null && !XLogFormat.isSegmentStart(writtenUpTo)) {
                    openSegmentFor(XLogFormat.segmentOf(writtenUpTo - 1), fsync, method); // reopened after a close
                }
                if (openSegment != null) {
                    WalSegments.sync(openSegment, method);
                    syncCount.incrementAndGet();
                }
            }
            flushedUpTo = writtenUpTo;
        }
    }

    /** Writes the pages from writtenUpTo's page up to {@code upto} (write lock held). */
    private void writePages(long upto, boolean fsync, WalSegments.SyncMethod method) throws IOException {
        long pos = XLogFormat.pageStart(writtenUpTo);
        List<ByteBuffer> batch = new ArrayList<>();
        long batchStart = pos;
        while (pos < upto) {
            long segno = XLogFormat.segmentOf(pos);
            Long skipTo = switchSkips.get(pos);
            if (skipTo != null) {
                flushBatch(batch, batchStart);
                switchSkips.remove(pos);
                pos = skipTo;
                writtenUpTo = pos;
                finishSegment(segno, fsync, method);
                batchStart = pos;
                continue;
            }
            if (segno != openSegno || method != openMethod) {
                flushBatch(batch, batchStart);
                batchStart = pos;
                openSegmentFor(segno, fsync, method);
            }
            batch.add(buffers.page(pos));
            long pageEnd = pos + XLOG_BLCKSZ;
            if (batch.size() >= 64) {
                flushBatch(batch, batchStart);
                batchStart = pageEnd;
            }
            if (XLogFormat.isSegmentStart(pageEnd) && pageEnd <= upto) {
                flushBatch(batch, batchStart);
                batchStart = pageEnd;
                writtenUpTo = pageEnd;
                finishSegment(segno, fsync, method);
            }
            pos = pageEnd;
        }
        flushBatch(batch, batchStart);
        writtenUpTo = Math.max(writtenUpTo, upto);
    }

    private void flushBatch(List<ByteBuffer> batch, long start) throws IOException {
        if (batch.isEmpty()) {
            return;
        }
        ByteBuffer[] srcs = batch.toArray(new ByteBuffer[0]);
        openSegment.position(XLogFormat.segmentOffset(start));
        long total = (long) srcs.length * XLOG_BLCKSZ;
        long n = 0;
        while (n < total) {
            n += openSegment.write(srcs);
        }
        writeCount.incrementAndGet();
        if (openMethod.syncsOnWrite() && fsyncEnabled()) {
            syncCount.incrementAndGet();
        }
        batch.clear();
    }

    private void openSegmentFor(long segno, boolean fsync, WalSegments.SyncMethod method) throws IOException {
        closeSegment();
        openSegment = segments.open(segno, method, fsync);
        openSegno = segno;
        openMethod = method;
    }

    /** A segment is complete: fsync it, tell the archiver, close it (XLogWrite's end-of-segment part). */
    private void finishSegment(long segno, boolean fsync, WalSegments.SyncMethod method) throws IOException {
        if (openSegment != null && openSegno == segno) {
            if (fsync && !method.syncsOnWrite()) {
                WalSegments.sync(openSegment, method);
                syncCount.incrementAndGet();
            }
            if (fsync) {
                flushedUpTo = Math.max(flushedUpTo, writtenUpTo);
            }
            closeSegment();
        }
        if (!"off".equals(settings.get("archive_mode"))) {
            segments.markReady(segno);
        }
    }

    private void closeSegment() {
        if (openSegment != null) {
            try {
                openSegment.close();
            } catch (IOException e) {
                LOG.warn("could not close WAL segment: {}", e.getMessage());
            }
            openSegment = null;
            openSegno = -1;
        }
    }

    // ---- the WAL writer's part ----

    /**
     * XLogBackgroundFlush: flushes asynchronous commits; otherwise writes complete pages,
     * flushing them too once wal_writer_flush_after pages are unflushed. Returns whether it did
     * anything.
     */
    boolean backgroundFlush() {
        if (inRecovery || discarded()) {
            return false; // after a crash the WAL writer idles until the postmaster stops it
        }
        long async = asyncXactLsn.get();
        if (async > flushedUpTo) {
            flush(async);
            return true;
        }
        preallocateNextSegment();
        long complete = XLogFormat.pageStart(insertEnd);
        if (complete > writtenUpTo) {
            long flushAfter = (long) settings.getInt("wal_writer_flush_after") * XLOG_BLCKSZ;
            write(complete, flushAfter > 0 && complete - flushedUpTo >= flushAfter);
            return true;
        }
        return false;
    }

    /**
     * Creates the next segment ahead of time once the current one is three quarters full
     * (PostgreSQL's checkpointer does this in PreallocXlogFiles), so a commit never waits for a
     * 16 MB file to be zero-filled.
     */
    private void preallocateNextSegment() {
        long end = insertEnd;
        if (XLogFormat.segmentOffset(end) < XLogFormat.SEG_SIZE / 4 * 3) {
            return;
        }
        long next = XLogFormat.segmentOf(end) + 1;
        try {
            segments.create(next, fsyncEnabled());
        } catch (IOException e) {
            LOG.warn("could not pre-allocate WAL file \"{}\": {}", XLogFormat.fileName(tli, next), e.getMessage());
        }
    }

    void wakeWalWriter() {
        writerLatchLock.lock();
        try {
            writerWakeup = true;
            writerLatch.signalAll();
        } finally {
            writerLatchLock.unlock();
        }
    }

    /** The WAL writer's sleep: until woken or the timeout passes. */
    void waitForWork(long millis) throws InterruptedException {
        writerLatchLock.lock();
        try {
            long nanos = millis * 1_000_000L;
            while (!writerWakeup && nanos > 0) {
                nanos = writerLatch.awaitNanos(nanos);
            }
            writerWakeup = false;
        } finally {
            writerLatchLock.unlock();
        }
    }

    // ---- switch and checkpoint ----

    @Override
    public long switchSegment() {
        if (inRecovery) {
            throw new PgException(SqlState.OBJECT_NOT_IN_PREREQUISITE_STATE, "recovery is in progress")
                    .withHint("WAL control functions cannot be executed during recovery.");
        }
        long end;
        long segEnd;
        insertLock.lock();
        try {
            if (XLogFormat.segmentOffset(curPos) == 0) {
                return nextRecordStart(); // nothing in this segment yet: no switch
            }
            end = insertLocked(WalRecord.builder(WalRecord.RM_XLOG_ID, WalRecord.XLOG_SWITCH).build());
            segEnd = XLogFormat.segmentStart(XLogFormat.segmentOf(end - 1) + 1);
            long nextPage = XLogFormat.pageStart(end - 1) + XLOG_BLCKSZ;
            if (nextPage < segEnd) {
                switchSkips.put(nextPage, segEnd);
            }
            curPos = segEnd;
            insertEnd = segEnd;
            copiedUpTo = segEnd;
        } finally {
            insertLock.unlock();
        }
        flush(segEnd);
        return end;
    }

    @Override
    public long startCheckpoint() {
        long redo;
        insertLock.lock();
        try {
            redo = redoPtr = nextRecordStart();
        } finally {
            insertLock.unlock();
        }
        checkpointDelays.awaitEarlier(); // commits whose record precedes the redo point set their bit first
        return redo;
    }

    // ---- DELAY_CHKPT_START ----

    private final CheckpointDelays checkpointDelays = new CheckpointDelays();

    @Override
    public CheckpointDelay delayCheckpointStart() {
        return checkpointDelays.delay();
    }

    @Override
    public long writeCheckpointRecord(long redoLsn, int nextXid, int nextOid, boolean shutdown) {
        return writeCheckpoint(redoLsn, nextXid, nextOid, shutdown,
                shutdown ? DbState.DB_SHUTDOWNED : DbState.DB_IN_PRODUCTION);
    }

    /** The checkpoint record and pg_control; a shutdown checkpoint's redo point is its own start. */
    long writeCheckpoint(long redoLsn, int nextXid, int nextOid, boolean shutdown, DbState newState) {
        long start;
        long end;
        CheckPoint cp;
        long now = Instant.now().getEpochSecond();
        insertLock.lock();
        try {
            start = nextRecordStart();
            long redo = shutdown ? start : redoLsn;
            cp = new CheckPoint(redo, tli, tli, fullPageWrites(), nextXid, nextOid,
                    control.checkPointCopy().oldestXid(), now);
            end = insertLocked(WalRecord.builder(WalRecord.RM_XLOG_ID,
                    shutdown ? WalRecord.XLOG_CHECKPOINT_SHUTDOWN : WalRecord.XLOG_CHECKPOINT_ONLINE)
                    .mainData(ControlFile.checkPointBytes(cp)).build());
            if (shutdown) {
                redoPtr = redo;
                if (newState == DbState.DB_SHUTDOWNED) {
                    shutdownCheckpointEnd = end;
                }
            }
        } finally {
            insertLock.unlock();
        }
        flush(end);
        updateControlFile(control.with(newState, now, start, cp));
        LOG.debug("checkpoint record at {}, redo {}", WalInsert.formatLsn(start), WalInsert.formatLsn(cp.redo()));
        return start;
    }

    /** UpdateControlFile; refused once the shared memory is discarded. */
    synchronized void updateControlFile(ControlFileData data) {
        CrashShutdown.check(shmem);
        try {
            ControlFile.write(dataDirectory, data);
            control = data;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
