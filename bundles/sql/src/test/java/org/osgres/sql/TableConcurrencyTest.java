package org.osgres.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two sessions over the same tables (real storage, each statement through the engine as the
 * backend runs it): a blocked UPDATE re-checks the newest row version under READ COMMITTED,
 * unique violations between sessions wait for the other inserter, MVCC visibility of
 * uncommitted rows, REPEATABLE READ keeping its snapshot and failing with 40001.
 */
class TableConcurrencyTest {
    @TempDir
    Path dir;
    StorageFixture storage;
    TestSession s1;
    TestSession s2;

    @BeforeEach
    void setUp() {
        storage = new StorageFixture(dir, 128, true);
        s1 = storage.session(101);
        s2 = storage.session(102);
        ok(s1, "CREATE TABLE acc (id int PRIMARY KEY, v int NOT NULL)");
        ok(s1, "INSERT INTO acc VALUES (1, 0), (2, 0)");
    }

    @AfterEach
    void tearDown() {
        storage.stop();
    }

    private List<String> ok(TestSession s, String sql) {
        List<String> out = storage.run(s, sql);
        assertFalse(out.get(out.size() - 1).startsWith("E") || out.get(0).startsWith("X"), sql + ": " + out);
        return out;
    }

    private String value(TestSession s, String sql) {
        List<String> out = ok(s, sql);
        return out.get(out.size() - 2).substring(2);
    }

    /** Runs sql in another thread; returns once that thread is blocked (waiting on a lock), failing after 10 s. */
    private CompletableFuture<List<String>> blocked(TestSession s, String sql) throws Exception {
        Thread[] thread = new Thread[1];
        CompletableFuture<List<String>> f = new CompletableFuture<>();
        thread[0] = Thread.ofPlatform().start(() -> {
            try {
                f.complete(storage.run(s, sql));
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int waitingSeen = 0;
        while (waitingSeen < 5) {
            assertFalse(f.isDone(), sql + " did not wait: " + (f.isDone() ? f.get() : ""));
            assertTrue(System.nanoTime() < deadline, sql + " never blocked");
            Thread.State st = thread[0].getState();
            waitingSeen = st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING ? waitingSeen + 1 : 0;
            Thread.sleep(5);
        }
        return f;
    }

    @Test
    void blockedUpdateReChecksTheNewestVersion() throws Exception {
        ok(s1, "BEGIN");
        ok(s1, "UPDATE acc SET v = v + 1 WHERE id = 1");
        CompletableFuture<List<String>> other = blocked(s2, "UPDATE acc SET v = v + 10 WHERE id = 1");
        ok(s1, "COMMIT");
        assertEquals("T UPDATE 1", other.get(10, TimeUnit.SECONDS).get(0));
        assertEquals("11", value(s1, "SELECT v FROM acc WHERE id = 1"));

        // the newest version no longer passes WHERE: the waiting UPDATE skips the row
        ok(s1, "BEGIN");
        ok(s1, "UPDATE acc SET v = 100 WHERE id = 2");
        other = blocked(s2, "UPDATE acc SET v = v + 1 WHERE id = 2 AND v = 0");
        ok(s1, "COMMIT");
        assertEquals("T UPDATE 0", other.get(10, TimeUnit.SECONDS).get(0));
        assertEquals("100", value(s1, "SELECT v FROM acc WHERE id = 2"));

        // a waiting DELETE of a row deleted meanwhile deletes nothing
        ok(s1, "BEGIN");
        ok(s1, "DELETE FROM acc WHERE id = 2");
        other = blocked(s2, "DELETE FROM acc WHERE id = 2");
        ok(s1, "COMMIT");
        assertEquals("T DELETE 0", other.get(10, TimeUnit.SECONDS).get(0));
    }

    @Test
    void uniqueViolationWaitsForTheOtherInserter() throws Exception {
        ok(s1, "BEGIN");
        ok(s1, "INSERT INTO acc VALUES (5, 0)");
        CompletableFuture<List<String>> other = blocked(s2, "INSERT INTO acc VALUES (5, 1)");
        ok(s1, "COMMIT");
        assertEquals(List.of("E 23505\tduplicate key value violates unique constraint \"acc_pkey\"\t0\t\t"
                + "Key (id)=(5) already exists."), other.get(10, TimeUnit.SECONDS));

        ok(s1, "BEGIN");
        ok(s1, "INSERT INTO acc VALUES (6, 0)");
        other = blocked(s2, "INSERT INTO acc VALUES (6, 1)");
        ok(s1, "ROLLBACK");
        assertEquals(List.of("T INSERT 0 1"), other.get(10, TimeUnit.SECONDS));
        assertEquals("1", value(s1, "SELECT v FROM acc WHERE id = 6"));
    }

    @Test
    void uncommittedRowsAreInvisibleAndRepeatableReadKeepsItsSnapshot() throws Exception {
        ok(s1, "BEGIN");
        ok(s1, "INSERT INTO acc VALUES (3, 3)");
        assertEquals("3", value(s1, "SELECT count(*) FROM acc"));
        assertEquals("2", value(s2, "SELECT count(*) FROM acc"));
        assertEquals(List.of("C v\t23", "T SELECT 0"), ok(s2, "SELECT v FROM acc WHERE id = 3"));

        ok(s2, "SET transaction_isolation = 'repeatable read'");
        ok(s2, "BEGIN");
        assertEquals("2", value(s2, "SELECT count(*) FROM acc"));
        ok(s1, "COMMIT");
        assertEquals("2", value(s2, "SELECT count(*) FROM acc"));
        ok(s1, "UPDATE acc SET v = 7 WHERE id = 1");
        assertEquals("0", value(s2, "SELECT v FROM acc WHERE id = 1"));
        List<String> err = storage.run(s2, "UPDATE acc SET v = v + 1 WHERE id = 1");
        assertTrue(err.get(0).startsWith("E 40001\tcould not serialize access due to concurrent update"), err.toString());
        ok(s2, "ROLLBACK");
        assertEquals("3", value(s2, "SELECT count(*) FROM acc"));
        ok(s2, "RESET transaction_isolation");
        assertEquals("7", value(s2, "SELECT v FROM acc WHERE id = 1"));
    }

    @Test
    void selectForUpdateWaitsAndSeesTheNewestVersion() throws Exception {
        ok(s1, "BEGIN");
        ok(s1, "UPDATE acc SET v = 42 WHERE id = 1");
        CompletableFuture<List<String>> other = blocked(s2, "SELECT v FROM acc WHERE id = 1 FOR UPDATE");
        ok(s1, "COMMIT");
        assertEquals(List.of("C v\t23", "R 42", "T SELECT 1"), other.get(10, TimeUnit.SECONDS));
        List<String> err = storage.run(s1, "UPDATE pg_class SET relname = 'x'");
        assertEquals(List.of("E 42501\tpermission denied: \"pg_class\" is a system catalog\t0\t\t"), err);
    }
}
