/*
 * BufferPoolBench: pin/unpin throughput of the shared buffer pool, outside any framework
 * (run by bench/buffer-pool.sh; not a test).
 *
 * 1. hits: threads pin, share-lock, read, unlock and unpin random blocks of a relation that fits
 *    in the pool (every pin a buffer-table hit);
 * 2. misses: the same over a relation 10x larger than the pool (clock sweep, eviction and reads
 *    from the OS page cache; a tenth of the operations also dirty the page, so evictions write).
 * There is no PostgreSQL counterpart to run side by side until tables exist: pgbench will be
 * the comparison then.
 */
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

import org.osgres.api.buffer.BufferManager;
import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.Page;
import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.config.SettingDefinition;
import org.osgres.api.config.Settings;
import org.osgres.buffer.NoWalFlush;
import org.osgres.buffer.SharedBufferPool;
import org.osgres.shmem.SharedMemoryArea;

public class BufferPoolBench {
    static final RelFileLocator REL = RelFileLocator.of(5, 16384);

    public static void main(String[] args) throws Exception {
        int nBuffers = args.length > 0 ? Integer.parseInt(args[0]) : 16384;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path dir = Files.createTempDirectory("osgres-bufbench-");
        Settings settings = settings(dir, Map.of("shared_buffers", Integer.toString(nBuffers), "wal_buffers", "-1",
                "max_connections", "100", "autovacuum_max_workers", "3", "max_worker_processes", "8",
                "max_wal_senders", "10"));
        SharedMemoryArea shm = new SharedMemoryArea(settings);
        BufferManager bm = new SharedBufferPool(settings, shm, new NoWalFlush());
        bm.create(REL, ForkNumber.MAIN);
        int blocks = nBuffers * 10;
        for (int i = 0; i < blocks; i++) {
            int b = bm.extend(REL, ForkNumber.MAIN);
            bm.lockExclusive(b);
            Page.init(bm.page(b), 0);
            bm.markDirty(b);
            bm.unlock(b);
            bm.unpin(b);
        }
        bm.flushDirty();
        System.out.printf("shared_buffers = %d (%d MB), relation %d blocks, %d cores%n", nBuffers,
                nBuffers * 8 / 1024, blocks, Runtime.getRuntime().availableProcessors());
        for (int threads : new int[] {1, 2, 8}) {
            run(bm, "hits   ", threads, nBuffers / 2, seconds, false);
        }
        for (int threads : new int[] {1, 2, 8}) {
            run(bm, "misses ", threads, blocks, seconds, true);
        }
        System.out.println("stats: " + bm.stats());
    }

    static void run(BufferManager bm, String what, int threads, int range, int seconds, boolean dirtySome) throws Exception {
        LongAdder ops = new LongAdder();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            ts.add(Thread.ofVirtual().start(() -> {
                ThreadLocalRandom rnd = ThreadLocalRandom.current();
                long n = 0;
                while ((n & 1023) != 0 || System.nanoTime() < end) {
                    int b = bm.pin(REL, ForkNumber.MAIN, rnd.nextInt(range));
                    boolean dirty = dirtySome && rnd.nextInt(10) == 0;
                    if (dirty) {
                        bm.lockExclusive(b);
                        bm.page(b).putInt(100, (int) n);
                        bm.markDirty(b);
                    } else {
                        bm.lockShared(b);
                        bm.page(b).getInt(100);
                    }
                    bm.unlock(b);
                    bm.unpin(b);
                    n++;
                }
                ops.add(n);
            }));
        }
        for (Thread t : ts) {
            t.join();
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s %2d threads: %,12.0f pin+lock+unlock+unpin per second%n", what, threads, ops.sum() / secs);
    }

    /** The few settings the components read. */
    static Settings settings(Path dir, Map<String, String> values) {
        return new Settings() {
            public Path dataDirectory() { return dir; }
            public Collection<SettingDefinition> definitions() { return List.of(); }
            public Optional<SettingDefinition> definition(String name) { return Optional.empty(); }
            public String get(String name) { return values.get(name); }
            public String source(String name) { return "default"; }
            public String parse(String name, String value) { return value; }
            public String display(String name, String internalValue) { return internalValue; }
            public boolean reload() { return true; }
        };
    }
}
