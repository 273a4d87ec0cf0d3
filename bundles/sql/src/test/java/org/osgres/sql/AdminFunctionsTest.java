package org.osgres.sql;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** pg_sleep stops on a cancel from another thread; PASSWORD without an encryption service is 0A000. */
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

    @Test
    void passwordWithoutEncryptionServiceIsNotSupported() {
        PgSqlEngine engine = new PgSqlEngine();
        engine.services().setRoleCatalog(new InMemoryRoleCatalog());
        TestSession session = new TestSession();
        List<String> out = SessionGoldenTest.run(engine, session, "CREATE ROLE r PASSWORD 'x'");
        assertEquals("E 0A000\tno password encryption service is installed\t0\t"
                + "Install a bundle that provides org.osgres.api.auth.PasswordEncryption.\t", out.get(0));
        assertEquals(List.of("T CREATE ROLE"), SessionGoldenTest.run(engine, session, "CREATE ROLE r PASSWORD NULL"));
    }
}
