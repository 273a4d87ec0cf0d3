package org.osgres.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subqueries in FROM, WITH queries and set-returning functions in the select list: the goldens
 * of tools/record-sql2-golden.py subqueries (recorded from PostgreSQL 15) over the real storage
 * stack, and what osgres refuses on purpose (PostgreSQL runs these, so they are not goldens).
 */
class SubqueryGoldenTest {
    @TempDir
    Path dir;

    @Test
    void subqueriesMatchPostgreSql() throws Exception {
        StorageFixture storage = new StorageFixture(dir, 256, true);
        try {
            TestSession session = storage.session(4343);
            List<String> failures = new ArrayList<>();
            List<SessionGoldenTest.Case> cases = SessionGoldenTest.load("subqueries");
            for (SessionGoldenTest.Case c : cases) {
                List<String> got = storage.run(session, c.sql());
                if (!got.equals(c.lines())) {
                    failures.add(c.sql() + "\n   expected " + c.lines() + "\n   got      " + got);
                }
            }
            System.out.println("subqueries golden cases: " + cases.size() + ", failed: " + failures.size());
            failures.forEach(f -> System.out.println("FAIL " + f));
            assertTrue(failures.isEmpty(), failures.size() + " subquery cases differ from PostgreSQL 15");
        } finally {
            storage.stop();
        }
    }

    /** RowDescription names the table column a subquery or WITH query passes through (markTargetListOrigin). */
    @Test
    void rowDescriptionLooksThroughSubqueries() throws Exception {
        StorageFixture storage = new StorageFixture(dir, 64, true);
        try {
            TestSession s = storage.session(4345);
            storage.run(s, "CREATE TABLE sr (id int, v text)");
            List<String> oid = storage.run(s, "SELECT oid FROM pg_class WHERE relname = 'sr'");
            int relOid = Integer.parseInt(oid.get(1).substring(2));
            List<org.osgres.api.sql.ColumnDescriptor> cols = storage.engine.prepare(storage.engine.parse(
                    "WITH w AS (SELECT v, id FROM sr) SELECT x.id, x.v || 'y', w.v, 1 FROM (SELECT id, v FROM sr) x, w")
                    .get(0), new int[0], s).resultColumns();
            assertEquals(List.of(relOid + ":1", "0:0", relOid + ":2", "0:0"),
                    cols.stream().map(c -> c.tableOid() + ":" + c.attributeNumber()).toList());
            s.endStatement(true);
        } finally {
            storage.stop();
        }
    }

    @Test
    void unsupportedFormsAreFeatureNotSupported() throws Exception {
        StorageFixture storage = new StorageFixture(dir, 64, true);
        try {
            TestSession s = storage.session(4344);
            storage.run(s, "CREATE TABLE sq (id int)");
            assertEquals(List.of("E 0A000\tLATERAL is not supported by osgres yet\t15\t\t"),
                    storage.run(s, "SELECT * FROM LATERAL (SELECT 1) x"));
            assertEquals(List.of("E 0A000\tWITH RECURSIVE is not supported by osgres yet\t6\t\t"),
                    storage.run(s, "WITH RECURSIVE r AS (SELECT 1) SELECT * FROM r"));
            assertEquals(List.of("E 0A000\tdata-modifying statements in WITH are not supported by osgres yet\t12\t\t"),
                    storage.run(s, "WITH d AS (DELETE FROM sq RETURNING *) SELECT * FROM d"));
            assertEquals(List.of("E 0A000\tWITH before UPDATE is not supported by osgres yet\t1\t\t"),
                    storage.run(s, "WITH a AS (SELECT 1) UPDATE sq SET id = 2"));
            assertEquals(List.of("E 0A000\tFOR UPDATE with a subquery or WITH query in FROM is not supported by osgres"
                    + " yet\t0\t\t"), storage.run(s, "SELECT * FROM (SELECT id FROM sq) x FOR UPDATE"));
            assertEquals(List.of("E 0A000\tset-returning functions in GROUP BY are not supported by osgres yet\t47\t\t"),
                    storage.run(s, "SELECT generate_series(1, 2) FROM sq GROUP BY 1"));
            assertEquals(List.of("E 0A000\tgenerate_series(numeric) is not supported by osgres yet\t8\t\t"),
                    storage.run(s, "SELECT generate_series(1.5, 3)"));
        } finally {
            storage.stop();
        }
    }
}
