package org.osgres.postmaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.osgres.api.lifecycle.BackgroundWorker;
import org.osgres.api.session.BackendStatus;

class BackgroundWorkersTest {
    /** Fails on its first two runs, then stays up until interrupted. */
    static final class Flaky implements BackgroundWorker {
        final List<Integer> pids = new CopyOnWriteArrayList<>();
        final CountDownLatch third = new CountDownLatch(3);

        @Override
        public String name() {
            return "flaky";
        }

        @Override
        public String backendType() {
            return "background worker";
        }

        @Override
        public int restartDelaySeconds() {
            return 0;
        }

        @Override
        public void run(BackendStatus status) throws Exception {
            pids.add(status.pid());
            third.countDown();
            if (pids.size() <= 2) {
                throw new IllegalStateException("failure " + pids.size());
            }
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void aFailingWorkerIsRestartedWithANewPidAndShownInTheRegistry() throws Exception {
        BackendSlots slots = new BackendSlots(5, 0, 100);
        BackgroundWorkers workers = new BackgroundWorkers(slots);
        Flaky flaky = new Flaky();
        workers.addWorker(flaky);
        assertTrue(flaky.third.await(10, TimeUnit.SECONDS), "restarted twice");
        assertEquals(3, flaky.pids.size());
        assertNotEquals(flaky.pids.get(0), flaky.pids.get(2));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (slots.backends().size() != 1 && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertEquals("background worker", slots.backends().get(0).backendType());
        assertEquals(flaky.pids.get(2), slots.backends().get(0).pid());
        workers.removeWorker(flaky);
        end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!slots.backends().isEmpty() && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertTrue(slots.backends().isEmpty(), "a removed worker leaves the registry");
        workers.deactivate();
    }
}
