package org.osgres.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.error.PgException;
import org.osgres.api.sql.ExecutionResult;
import org.osgres.api.sql.Portal;

/**
 * No statement leaves buffer pins behind: scans are closed when a statement fails half-way
 * (SELECT, INSERT ... SELECT, UPDATE), when a portal is closed before its end, and when the
 * transaction of a suspended portal ends. releaseAllPins() counts what a backend still holds.
 */
class TablePinsTest {
    @TempDir
    Path dir;

    @Test
    void failedAndAbandonedStatementsReleaseTheirPins() throws Exception {
        StorageFixture storage = new StorageFixture(dir, 64, true);
        try {
            TestSession s = storage.session(7);
            storage.run(s, "CREATE TABLE p (id int PRIMARY KEY, v int)");
            storage.run(s, "INSERT INTO p SELECT g, g FROM generate_series(1, 2000) g");
            assertEquals(0, storage.buffers.releaseAllPins());

            String[] failing = {
                "SELECT 1 / (id - 1500) FROM p",
                "SELECT 1 / (v - 1500) FROM p WHERE id > 10",
                "INSERT INTO p SELECT g + 1990, 0 FROM generate_series(1, 20) g",
                "UPDATE p SET v = 1 / (v - 1000)",
                "DELETE FROM p WHERE 1 / (id - 700) > 0",
                "SELECT id FROM p WHERE id IN (SELECT 1 / (v - 1999) FROM p)",
            };
            for (String sql : failing) {
                List<String> out = storage.run(s, sql);
                assertTrue(out.get(0).startsWith("E 22012") || out.get(0).startsWith("E 23505"), sql + ": " + out);
                assertEquals(0, storage.buffers.releaseAllPins(), "pins left by " + sql);
            }

            // a portal suspended after 10 rows, then closed (Close message)
            storage.run(s, "BEGIN");
            Portal portal = bind(storage, s, "SELECT id FROM p");
            ExecutionResult r = portal.execute(10, row -> { }, s);
            assertTrue(r.suspended());
            portal.close();
            assertEquals(0, storage.buffers.releaseAllPins(), "pins left by a closed portal");

            // a suspended portal whose transaction ends: the end of the transaction closes it
            portal = bind(storage, s, "SELECT id FROM p WHERE id > 5");
            assertTrue(portal.execute(3, row -> { }, s).suspended());
            storage.run(s, "COMMIT");
            assertEquals(0, storage.buffers.releaseAllPins(), "pins left by a portal at COMMIT");
            List<byte[][]> rows = new ArrayList<>();
            portal = bind(storage, s, "SELECT id FROM p WHERE id = 1999");
            assertEquals("SELECT 1", portal.execute(0, rows::add, s).commandTag());
            s.endStatement(true);
            assertEquals(0, storage.buffers.releaseAllPins());
        } finally {
            storage.stop();
        }
    }

    private static Portal bind(StorageFixture storage, TestSession s, String sql) {
        try {
            return storage.engine.prepare(storage.engine.parse(sql).get(0), new int[0], s)
                    .bind(List.of(), new short[0], new short[0], s);
        } catch (PgException e) {
            throw new AssertionError(sql, e);
        }
    }
}
