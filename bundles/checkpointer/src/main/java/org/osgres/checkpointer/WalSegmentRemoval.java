/*
 * WalSegmentRemoval: removing and recycling WAL segments no checkpoint needs any more
 * (PostgreSQL: KeepLogSeg, RemoveOldXlogFiles, RemoveXlogFile, XLOGfileslop and
 * InstallXLogFileSegment in access/transam/xlog.c; XLogArchiveCheckDone and XLogArchiveCleanup
 * in xlogarchive.c).
 *
 * After a checkpoint record, every segment before the redo point's segment may go, except the
 * wal_keep_size most recent ones (KeepLogSeg), and except a segment the archiver has not yet
 * archived: with archive_mode on, a segment goes only when archive_status/NAME.done exists; a
 * NAME.ready keeps it, and a segment with neither gets its .ready made again (the archiver
 * missed it). With wal_recycle on, an old segment is renamed to a future segment's name instead
 * of being deleted, up to the recycle horizon of XLOGfileslop (enough segments for the WAL the
 * next checkpoint cycle is estimated to write, kept between min_wal_size and max_wal_size).
 * A recycled file keeps its old bytes: the WAL reader knows them by their page addresses.
 *
 * The rename is made exclusive (a hard link, then unlinking the old name: link() fails when the
 * name exists) so a segment the WAL writer has just created is never replaced.
 *
 * Once the shared memory is discarded after a crash, a removal in progress stops before its next
 * file: a zombie checkpointer must not change pg_wal under the new server's recovery.
 *
 * Entry points: removeOldSegments(), fileName(), recycleHorizon().
 * See also: CreateCheckpoint -- calls it after the checkpoint record.
 */
package org.osgres.checkpointer;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

final class WalSegmentRemoval {
    /** XLogSegmentsPerXLogId for 16 MB segments. */
    static final long SEGMENTS_PER_XLOGID = 0x1_0000_0000L / CheckpointSchedule.WAL_SEGMENT_SIZE;

    /** The settings that decide what stays (all in PostgreSQL's units: MB, fraction). */
    record Policy(int walKeepSizeMb, int minWalSizeMb, int maxWalSizeMb, boolean archiving, boolean recycle,
            double completionTarget) {
    }

    /** What was done: segments deleted and segments renamed to future names. */
    record Result(int removed, int recycled) {
    }

    private final Path pgWal;
    private final int tli;
    /** Whether the shared memory was discarded after a crash: then nothing more is removed. */
    private final BooleanSupplier discarded;

    WalSegmentRemoval(Path pgWal, int tli) {
        this(pgWal, tli, () -> false);
    }

    WalSegmentRemoval(Path pgWal, int tli, BooleanSupplier discarded) {
        this.pgWal = pgWal;
        this.tli = tli;
        this.discarded = discarded;
    }

    /** XLogFileName: timeline, then the segment number as two 8-digit hex halves. */
    static String fileName(int tli, long segno) {
        return String.format(Locale.ROOT, "%08X%08X%08X", tli, segno / SEGMENTS_PER_XLOGID, segno % SEGMENTS_PER_XLOGID);
    }

    static long segmentOf(long lsn) {
        return Long.divideUnsigned(lsn, CheckpointSchedule.WAL_SEGMENT_SIZE);
    }

    /** IsXLogFileName: 24 hex digits. */
    static boolean isWalFileName(String name) {
        return name.length() == 24 && name.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'));
    }

    /** IsPartialXLogFileName: 24 hex digits and ".partial". */
    static boolean isPartialWalFileName(String name) {
        return name.length() == 32 && name.endsWith(".partial") && isWalFileName(name.substring(0, 24));
    }

    /**
     * XLOGfileslop: the highest segment number an old segment may be recycled to, given the
     * redo point of the checkpoint just made and the estimated WAL distance between
     * checkpoints (CheckPointDistanceEstimate).
     */
    static long recycleHorizon(long redoLsn, double distanceEstimate, Policy policy) {
        long redoSeg = segmentOf(redoLsn);
        long minSegNo = redoSeg + policy.minWalSizeMb() / 16 - 1;
        long maxSegNo = redoSeg + policy.maxWalSizeMb() / 16 - 1;
        double distance = (1.0 + policy.completionTarget()) * distanceEstimate * 1.10;
        long recycleSegNo = (long) Math.ceil((redoLsn + distance) / CheckpointSchedule.WAL_SEGMENT_SIZE);
        return Math.max(minSegNo, Math.min(maxSegNo, recycleSegNo));
    }

    /**
     * KeepLogSeg then RemoveOldXlogFiles: removes (or recycles) the segments before the redo
     * point's segment that wal_keep_size and archiving do not keep.
     *
     * @param redoLsn          the checkpoint's redo point
     * @param checkpointLsn    where the checkpoint record starts (the WAL end for keeping)
     * @param distanceEstimate CheckPointDistanceEstimate in bytes
     */
    Result removeOldSegments(long redoLsn, long checkpointLsn, double distanceEstimate, Policy policy)
            throws IOException {
        long segno = keepLogSeg(segmentOf(redoLsn), segmentOf(checkpointLsn), policy.walKeepSizeMb());
        segno--;
        if (segno < 1 || !Files.isDirectory(pgWal)) {
            return new Result(0, 0);
        }
        String lastOff = fileName(0, segno).substring(8);
        long recycleSegNo = recycleHorizon(redoLsn, distanceEstimate, policy);
        long[] endLogSegNo = {segmentOf(checkpointLsn)};
        List<String> old = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(pgWal)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if ((isWalFileName(name) || isPartialWalFileName(name)) && name.substring(8, 24).compareTo(lastOff) <= 0) {
                    old.add(name);
                }
            }
        }
        old.sort(null);
        int removed = 0;
        int recycled = 0;
        for (String name : old) {
            if (discarded.getAsBoolean()) {
                break;
            }
            if (!archiveCheckDone(name, policy.archiving())) {
                continue;
            }
            if (removeFile(name, recycleSegNo, endLogSegNo, policy.recycle())) {
                recycled++;
            } else {
                removed++;
            }
            archiveCleanup(name);
        }
        if (removed + recycled > 0) {
            syncDirectory(pgWal);
        }
        return new Result(removed, recycled);
    }

    /** fsync of pg_wal, so renames and unlinks are durable (PostgreSQL: fsync_fname on the directory). */
    private static void syncDirectory(Path dir) {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir,
                java.nio.file.StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems refuse to open directories: PostgreSQL ignores that too
        }
    }

    /** KeepLogSeg: moves the first segment to keep back by wal_keep_size (no replication slots here). */
    static long keepLogSeg(long segno, long currSegNo, int walKeepSizeMb) {
        if (walKeepSizeMb > 0) {
            long keepSegs = walKeepSizeMb / 16;
            if (currSegNo - segno < keepSegs) {
                segno = currSegNo > keepSegs ? currSegNo - keepSegs : 1;
            }
        }
        return segno;
    }

    /**
     * XLogArchiveCheckDone: whether the archiver is done with the segment. Always when archiving
     * is off; else only with a .done file. A segment with neither file gets its .ready again.
     */
    boolean archiveCheckDone(String name, boolean archiving) throws IOException {
        if (!archiving) {
            return true;
        }
        Path status = pgWal.resolve("archive_status");
        if (Files.exists(status.resolve(name + ".done"))) {
            return true;
        }
        if (Files.exists(status.resolve(name + ".ready"))) {
            return false;
        }
        Files.createDirectories(status);
        try {
            Files.createFile(status.resolve(name + ".ready"));
        } catch (FileAlreadyExistsException e) {
            // the archiver's own notification raced us: same result
        }
        return false;
    }

    /** XLogArchiveCleanup: the segment's .done and .ready go with it. */
    private void archiveCleanup(String name) throws IOException {
        Path status = pgWal.resolve("archive_status");
        Files.deleteIfExists(status.resolve(name + ".done"));
        Files.deleteIfExists(status.resolve(name + ".ready"));
    }

    /**
     * RemoveXlogFile: recycles the segment to the first free name from endLogSegNo up to
     * recycleSegNo (InstallXLogFileSegment with find_free), else deletes it. Returns whether it
     * was recycled.
     */
    private boolean removeFile(String name, long recycleSegNo, long[] endLogSegNo, boolean recycle) throws IOException {
        Path path = pgWal.resolve(name);
        if (recycle && endLogSegNo[0] <= recycleSegNo && Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)
                && !isPartialWalFileName(name)) {
            while (endLogSegNo[0] <= recycleSegNo) {
                Path target = pgWal.resolve(fileName(tli, endLogSegNo[0]));
                if (!Files.exists(target)) {
                    try {
                        Files.createLink(target, path); // link(): fails if the name was taken meanwhile
                        Files.delete(path);
                        endLogSegNo[0]++;
                        return true;
                    } catch (FileAlreadyExistsException raced) {
                        // the WAL writer made it: look further
                    } catch (UnsupportedOperationException | IOException noLinks) {
                        break; // no hard links here: delete instead
                    }
                }
                endLogSegNo[0]++;
            }
        }
        Files.deleteIfExists(path);
        return false;
    }
}
