package org.osgres.checkpointer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which WAL segments a checkpoint removes or recycles (RemoveOldXlogFiles, KeepLogSeg, XLogArchiveCheckDone). */
class WalSegmentRemovalTest {
    static final long SEG = CheckpointSchedule.WAL_SEGMENT_SIZE;
    static final WalSegmentRemoval.Policy NO_RECYCLE = new WalSegmentRemoval.Policy(0, 80, 1024, false, false, 0.9);

    static Path pgWal(Path dir, long... segnos) throws IOException {
        Path wal = dir.resolve("pg_wal");
        Files.createDirectories(wal.resolve("archive_status"));
        for (long s : segnos) {
            Files.write(wal.resolve(WalSegmentRemoval.fileName(1, s)), new byte[] {(byte) s});
        }
        return wal;
    }

    static TreeSet<Long> segments(Path wal) throws IOException {
        try (Stream<Path> files = Files.list(wal)) {
            return files.map(p -> p.getFileName().toString()).filter(WalSegmentRemoval::isWalFileName)
                    .map(n -> Long.parseLong(n.substring(8, 16), 16) * 256 + Long.parseLong(n.substring(16), 16))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void fileNamesAsPgWalfileName() throws IOException {
        List<String> lines;
        try (InputStream in = getClass().getResourceAsStream("/golden/walfile_names.txt")) {
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        for (String line : lines) {
            String[] f = line.split("\\|");
            String[] half = f[0].split("/");
            long lsn = Long.parseUnsignedLong(half[0], 16) << 32 | Long.parseUnsignedLong(half[1], 16);
            // pg_walfile_name names the segment holding the byte before the LSN (XLByteToPrevSeg)
            assertEquals(f[1], WalSegmentRemoval.fileName(1, WalSegmentRemoval.segmentOf(lsn - 1)), f[0]);
        }
    }

    @Test
    void segmentsBeforeTheRedoSegmentGo(@TempDir Path dir) throws IOException {
        Path wal = pgWal(dir, 1, 2, 3, 4, 5, 6);
        WalSegmentRemoval.Result r = new WalSegmentRemoval(wal, 1).removeOldSegments(5 * SEG + 100, 5 * SEG + 200, 0,
                NO_RECYCLE);
        assertEquals(new WalSegmentRemoval.Result(4, 0), r);
        assertEquals(new TreeSet<>(List.of(5L, 6L)), segments(wal));
    }

    @Test
    void walKeepSizeKeepsTheNewestSegments(@TempDir Path dir) throws IOException {
        Path wal = pgWal(dir, 1, 2, 3, 4, 5, 6);
        // wal_keep_size 32MB = 2 segments back from the checkpoint's segment 6: keep 4, 5, 6
        WalSegmentRemoval.Policy keep = new WalSegmentRemoval.Policy(32, 80, 1024, false, false, 0.9);
        WalSegmentRemoval.Result r = new WalSegmentRemoval(wal, 1).removeOldSegments(5 * SEG, 6 * SEG + 8, 0, keep);
        assertEquals(3, r.removed());
        assertEquals(new TreeSet<>(List.of(4L, 5L, 6L)), segments(wal));
    }

    @Test
    void aReadySegmentIsKeptUntilArchived(@TempDir Path dir) throws IOException {
        Path wal = pgWal(dir, 1, 2, 3, 4);
        Path status = wal.resolve("archive_status");
        Files.createFile(status.resolve(WalSegmentRemoval.fileName(1, 1) + ".done"));
        Files.createFile(status.resolve(WalSegmentRemoval.fileName(1, 2) + ".ready"));
        // segment 3 has neither: the archiver missed it, so it gets its .ready again and stays
        WalSegmentRemoval.Policy archiving = new WalSegmentRemoval.Policy(0, 80, 1024, true, false, 0.9);
        WalSegmentRemoval.Result r = new WalSegmentRemoval(wal, 1).removeOldSegments(4 * SEG, 4 * SEG + 8, 0, archiving);
        assertEquals(new WalSegmentRemoval.Result(1, 0), r);
        assertEquals(new TreeSet<>(List.of(2L, 3L, 4L)), segments(wal));
        assertFalse(Files.exists(status.resolve(WalSegmentRemoval.fileName(1, 1) + ".done")), "status cleaned up");
        assertTrue(Files.exists(status.resolve(WalSegmentRemoval.fileName(1, 2) + ".ready")));
        assertTrue(Files.exists(status.resolve(WalSegmentRemoval.fileName(1, 3) + ".ready")), ".ready made again");

        // archived later: the next checkpoint removes them
        Files.move(status.resolve(WalSegmentRemoval.fileName(1, 2) + ".ready"),
                status.resolve(WalSegmentRemoval.fileName(1, 2) + ".done"));
        r = new WalSegmentRemoval(wal, 1).removeOldSegments(4 * SEG, 4 * SEG + 8, 0, archiving);
        assertEquals(1, r.removed());
        assertEquals(new TreeSet<>(List.of(3L, 4L)), segments(wal));
    }

    @Test
    void withArchivingOffReadyFilesDoNotKeepSegments(@TempDir Path dir) throws IOException {
        Path wal = pgWal(dir, 1, 2, 3);
        Files.createFile(wal.resolve("archive_status").resolve(WalSegmentRemoval.fileName(1, 1) + ".ready"));
        new WalSegmentRemoval(wal, 1).removeOldSegments(3 * SEG, 3 * SEG + 8, 0, NO_RECYCLE);
        assertEquals(new TreeSet<>(List.of(3L)), segments(wal));
    }

    @Test
    void recyclingRenamesOldSegmentsToFreeFutureNames(@TempDir Path dir) throws IOException {
        Path wal = pgWal(dir, 1, 2, 3, 4, 5, 6);
        // min_wal_size 48MB = 3 segments: the horizon is redo segment 5 + 3 - 1 = 7
        WalSegmentRemoval.Policy recycle = new WalSegmentRemoval.Policy(0, 48, 1024, false, true, 0.9);
        assertEquals(7, WalSegmentRemoval.recycleHorizon(5 * SEG + 100, 0, recycle));
        WalSegmentRemoval.Result r = new WalSegmentRemoval(wal, 1).removeOldSegments(5 * SEG + 100, 5 * SEG + 200, 0,
                recycle);
        // 5 and 6 exist; 7 is the one free name up to the horizon: segment 1 becomes 7, 2..4 go
        assertEquals(new WalSegmentRemoval.Result(3, 1), r);
        assertEquals(new TreeSet<>(List.of(5L, 6L, 7L)), segments(wal));
        assertEquals(1, Files.readAllBytes(wal.resolve(WalSegmentRemoval.fileName(1, 7)))[0], "segment 1's file, renamed");
    }

    @Test
    void theDistanceEstimateWidensTheRecycleHorizon() {
        WalSegmentRemoval.Policy p = new WalSegmentRemoval.Policy(0, 80, 1024, false, true, 0.9);
        assertEquals(14, WalSegmentRemoval.recycleHorizon(10 * SEG, 0, p), "min_wal_size: 5 segments");
        // 10 segments between checkpoints: 10 * 1.9 * 1.1 = 20.9 -> ceil(30.9) = 31
        assertEquals(31, WalSegmentRemoval.recycleHorizon(10 * SEG, 10 * SEG, p));
        assertEquals(73, WalSegmentRemoval.recycleHorizon(10 * SEG, 1000 * SEG, p), "max_wal_size: 64 segments");
    }
}
