package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A flood of 500 simultaneous connection attempts against max_connections=100: every attempt is
 * answered (SSLRequest with 'N', then ReadyForQuery or FATAL 53300 "sorry, too many clients
 * already"), never reset; no more than 100 sessions exist at once; and afterwards the server
 * process has as many file descriptors (/proc/PID/fd) and threads (the Threads: line of
 * /proc/PID/status) as before, give or take a few the JVM itself may add.
 */
class FloodIT {
    static final int ATTEMPTS = 500;
    static final int MAX_CONNECTIONS = 100;
    /** Descriptors and threads the JVM may open or start on its own (JIT, GC, class loading). */
    static final int SLACK = 6;
    static OsgresServer server;

    @BeforeAll
    static void start() throws Exception {
        server = OsgresServer.start("max_connections=" + MAX_CONNECTIONS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) server.close();
    }

    static int fds(long pid) throws IOException {
        try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return (int) s.count();
        }
    }

    static int threads(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Threads:")) return Integer.parseInt(line.substring(8).trim());
        }
        throw new IOException("no Threads: line");
    }

    /** The flood; returns how many got a session. */
    static int flood(int attempts) throws Exception {
        AtomicInteger sessions = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<RawConnection> held = new ConcurrentLinkedQueue<>();
        CountDownLatch done = new CountDownLatch(attempts);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < attempts; i++) {
                pool.submit(() -> {
                    try {
                        RawConnection c = new RawConnection(server.port(), 30_000);
                        held.add(c);
                        char ssl = c.sslRequest();
                        if (ssl != 'N') wrong.add("SSLRequest answered " + ssl);
                        RawConnection.Message m = c.login(OsgresServer.superuser());
                        if (m.type() == 'Z') {
                            sessions.incrementAndGet();
                        } else if ("53300".equals(m.sqlState())
                                && "sorry, too many clients already".equals(m.message())) {
                            refused.incrementAndGet();
                            if (!c.closedByServer()) wrong.add("not closed after the FATAL");
                        } else {
                            wrong.add(m.toString());
                        }
                    } catch (IOException e) {
                        wrong.add(e.toString());
                    } finally {
                        done.countDown();
                    }
                    return null;
                });
            }
            assertTrue(done.await(120, TimeUnit.SECONDS), "attempts unanswered after 120 s");
        } finally {
            for (RawConnection c : held) c.close();
        }
        assertEquals(List.of(), new ArrayList<>(wrong), "every attempt gets a session or 53300");
        assertEquals(attempts, sessions.get() + refused.get());
        assertTrue(sessions.get() <= MAX_CONNECTIONS, sessions.get() + " sessions");
        return sessions.get();
    }

    @Test
    void fiveHundredAttemptsLeakNoThreadOrDescriptor() throws Exception {
        long pid = server.pid();
        int fdsAtStart = fds(pid);
        flood(150); // warms up what a flood uses: carrier threads, timers, classes
        int[] now = new int[2];
        // the baseline is what the warm-up leaves open: sessions read the catalogs, whose relation
        // files the storage manager keeps open (as PostgreSQL's smgr does)
        int[] last = {-1, 0}; // the count, and for how many polls in a row it has not changed
        assertTrue(Wait.until(Duration.ofSeconds(60), () -> {
            try {
                int n = fds(pid);
                last[1] = n == last[0] ? last[1] + 1 : 0;
                last[0] = n;
                return last[1] >= 10;
            } catch (IOException e) {
                return false;
            }
        }), "after the warm-up: fds " + fdsAtStart + " -> " + last[0] + "\n" + server.logText());
        int fdsBefore = last[0];
        int threadsBefore = threads(pid);

        int sessions = flood(ATTEMPTS);
        assertTrue(sessions >= MAX_CONNECTIONS / 2, "the flood got " + sessions + " sessions");

        boolean settled = Wait.until(Duration.ofSeconds(60), () -> {
            try {
                now[1] = threads(pid);
                return settledFds(pid, fdsBefore, now) && now[1] <= threadsBefore + SLACK;
            } catch (IOException e) {
                return false;
            }
        });
        System.out.printf("FloodIT: fds %d -> %d, threads %d -> %d%n", fdsBefore, now[0], threadsBefore, now[1]);
        assertTrue(settled, "fds " + fdsBefore + " -> " + now[0] + ", threads " + threadsBefore + " -> " + now[1]);
        try (RawConnection c = new RawConnection(server.port())) {
            assertEquals('Z', c.login(OsgresServer.superuser()).type(), "the server still serves");
        }
    }

    /** True when the server has no more descriptors than before (with the slack); now[0] gets the count. */
    private static boolean settledFds(long pid, int before, int[] now) {
        try {
            now[0] = fds(pid);
            return now[0] <= before + SLACK;
        } catch (IOException e) {
            return false;
        }
    }
}
