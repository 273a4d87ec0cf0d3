package org.osgres.sql;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The table goldens (tools/record-sql2-golden.py tables, recorded from PostgreSQL 15) run over
 * the real storage stack in a temporary data directory: DDL through the catalog, DML through the
 * heap and the B-tree, one transaction per statement outside BEGIN ... COMMIT.
 */
class TableGoldenTest {
    @TempDir
    Path dir;

    @Test
    void tableStatementsMatchPostgreSql() throws Exception {
        StorageFixture storage = new StorageFixture(dir, 256, true);
        try {
            TestSession session = storage.session(4242);
            List<String> failures = new ArrayList<>();
            List<SessionGoldenTest.Case> cases = SessionGoldenTest.load("tables");
            for (SessionGoldenTest.Case c : cases) {
                List<String> got = storage.run(session, c.sql());
                if (!got.equals(c.lines())) {
                    failures.add(c.sql() + "\n   expected " + c.lines() + "\n   got      " + got);
                }
            }
            System.out.println("tables golden cases: " + cases.size() + ", failed: " + failures.size());
            failures.forEach(f -> System.out.println("FAIL " + f));
            assertTrue(failures.isEmpty(), failures.size() + " table cases differ from PostgreSQL 15");
        } finally {
            storage.stop();
        }
    }
}
