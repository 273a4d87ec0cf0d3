package org.osgres.wal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgres.api.wal.WalRecord;

/**
 * Commits per second through Xlog: insert a 48-byte commit-like record, flush it; with 1 and
 * with N committer threads (group commit). Not a test: bench/wal/flush-bench.sh runs it.
 * Arguments: data directory (on the disk to measure), seconds per run, thread counts.
 */
public final class WalFlushBench {
    private WalFlushBench() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Files.createTempDirectory(Path.of(args.length > 0 ? args[0] : "."), "walbench-");
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        int[] threadCounts = {1, 4, 16, 64};
        if (args.length > 2) {
            threadCounts = java.util.Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt).toArray();
        }
        for (int threads : threadCounts) {
            Path dir = Files.createDirectory(root.resolve("t" + threads));
            Xlog xlog = WalTests.start(WalTests.settings(dir)).xlog();
            long syncs0 = xlog.syncCount();
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            long[] counts = new long[threads];
            List<Thread> ts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                ts.add(Thread.ofPlatform().start(() -> {
                    while (System.nanoTime() < deadline) {
                        xlog.flush(xlog.insert(WalRecord.builder(WalRecord.RM_XACT_ID, 0).xid(id)
                                .mainData(new byte[48]).build()));
                        counts[id]++;
                    }
                }));
            }
            for (Thread t : ts) {
                t.join();
            }
            long commits = java.util.Arrays.stream(counts).sum();
            long syncs = xlog.syncCount() - syncs0;
            System.out.printf("threads %3d: %8.0f commits/s, %7.0f fsyncs/s, %.1f commits per fsync%n", threads,
                    commits / seconds, syncs / seconds, (double) commits / Math.max(1, syncs));
        }
    }
}
