package org.osgres.sql;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgres.api.session.BackendRegistry;
import org.osgres.api.session.BackendStatus;
import org.osgres.api.session.ClientAddress;

/**
 * pg_sleep stops on a cancel from another thread; pg_cancel_backend / pg_terminate_backend follow
 * signalfuncs.c's permission rules (messages checked against PostgreSQL 15); PASSWORD without an
 * encryption service is 0A000.
 */
class AdminFunctionsTest {

    @Test
    void pgSleepIsInterruptedByCancel() throws Exception {
        PgSqlEngine engine = new PgSqlEngine();
        TestSession session = new TestSession();
        long start = System.nanoTime();
        Thread canceller = new Thread(() -> {
            // cancel until the statement has ended (a cancel before it starts is consumed by its first check)
            while (!Thread.currentThread().isInterrupted()) {
                session.interrupts().requestCancel();
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        canceller.start();
        try {
            List<String> out = SessionGoldenTest.run(engine, session, "SELECT pg_sleep(30)");
            assertEquals(1, out.size(), out.toString());
            assertTrue(out.get(0).startsWith("E 57014\tcanceling statement due to user request"), out.toString());
        } finally {
            canceller.interrupt();
            canceller.join();
        }
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos());
    }

    /** A registry of three client backends (postgres, alice, bob) that records the signals it is asked for. */
    static final class FakeRegistry implements BackendRegistry {
        final List<String> signals = new ArrayList<>();
        final List<BackendStatus> backends = new ArrayList<>();

        FakeRegistry() {
            add(101, "postgres");
            add(102, "alice");
            add(103, "bob");
            backends.add(new BackendStatus(104, "checkpointer", OffsetDateTime.now()));
        }

        private void add(int pid, String user) {
            BackendStatus s = new BackendStatus(pid, "client backend", OffsetDateTime.now());
            s.setIdentity(user, "postgres", ClientAddress.local());
            backends.add(s);
        }

        @Override
        public List<BackendStatus> backends() {
            return List.copyOf(backends);
        }

        @Override
        public boolean cancel(int pid) {
            signals.add("cancel " + pid);
            return true;
        }

        @Override
        public boolean terminate(int pid) {
            signals.add("terminate " + pid);
            backends.removeIf(b -> b.pid() == pid);
            return true;
        }
    }

    @Test
    void signallingFollowsPostgreSqlsPermissionRules() {
        PgSqlEngine engine = SessionGoldenTest.engineWithRoles();
        FakeRegistry registry = new FakeRegistry();
        engine.services().setBackendRegistry(registry);
        TestSession admin = new TestSession();
        SessionGoldenTest.run(engine, admin, "CREATE ROLE alice LOGIN");
        SessionGoldenTest.run(engine, admin, "CREATE ROLE bob LOGIN");
        SessionGoldenTest.run(engine, admin, "CREATE ROLE carol LOGIN IN ROLE bob");
        TestSession alice = new TestSession();
        alice.user = "alice";
        TestSession carol = new TestSession();
        carol.user = "carol";

        assertEquals("E 42501\tmust be a superuser to cancel superuser query\t0\t\t",
                SessionGoldenTest.run(engine, alice, "SELECT pg_cancel_backend(101)").get(0));
        assertEquals("E 42501\tmust be a superuser to terminate superuser process\t0\t\t",
                SessionGoldenTest.run(engine, alice, "SELECT pg_terminate_backend(101)").get(0));
        assertEquals("E 42501\tmust be a member of the role whose query is being canceled or member of "
                + "pg_signal_backend\t0\t\t", SessionGoldenTest.run(engine, alice, "SELECT pg_cancel_backend(103)").get(0));
        assertEquals(List.of("N WARNING\tPID 104 is not a PostgreSQL backend process", "C pg_cancel_backend\t16",
                "R f", "T SELECT 1"), SessionGoldenTest.run(engine, admin, "SELECT pg_cancel_backend(104)"));
        assertTrue(registry.signals.isEmpty(), registry.signals.toString());

        // a member of the target's role may signal it; a superuser may signal anyone
        assertEquals("R t", SessionGoldenTest.run(engine, carol, "SELECT pg_cancel_backend(103)").get(1));
        assertEquals("R t", SessionGoldenTest.run(engine, alice, "SELECT pg_cancel_backend(102)").get(1));
        assertEquals("R t", SessionGoldenTest.run(engine, admin, "SELECT pg_terminate_backend(102, 1000)").get(1));
        assertEquals(List.of("cancel 103", "cancel 102", "terminate 102"), registry.signals);
    }

    @Test
    void passwordWithoutEncryptionServiceIsNotSupported() {
        PgSqlEngine engine = new PgSqlEngine();
        engine.services().setRoleCatalog(SessionGoldenTest.roleCatalog());
        TestSession session = new TestSession();
        List<String> out = SessionGoldenTest.run(engine, session, "CREATE ROLE r PASSWORD 'x'");
        assertEquals("E 0A000\tno password encryption service is installed\t0\t"
                + "Install a bundle that provides org.osgres.api.auth.PasswordEncryption.\t", out.get(0));
        assertEquals(List.of("T CREATE ROLE"), SessionGoldenTest.run(engine, session, "CREATE ROLE r PASSWORD NULL"));
    }
}
