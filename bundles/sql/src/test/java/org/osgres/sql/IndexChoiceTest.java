package org.osgres.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.sql.Portal;
import org.osgres.api.sql.PreparedStatement;
import org.osgres.sql.exec.TableScan;

/**
 * Which index a table scan reads (the rule that stands in for the planner): pgbench's
 * {@code WHERE aid = $1} uses the primary key, equalities on more leading columns win, ranges use
 * an index's first column, other quals read the heap.
 */
class IndexChoiceTest {
    @TempDir
    Path dir;

    @Test
    void theIndexWithTheMostLeadingQualsIsUsed() throws Exception {
        StorageFixture storage = new StorageFixture(dir, 64, true);
        try {
            TestSession s = storage.session(12);
            storage.run(s, "CREATE TABLE acc (aid int PRIMARY KEY, bid int, cid int, filler char(20))");
            storage.run(s, "CREATE INDEX acc_bid ON acc (bid)");
            storage.run(s, "CREATE INDEX acc_bid_cid ON acc (bid, cid)");
            storage.run(s, "INSERT INTO acc SELECT g, g % 10, g % 7, 'x' FROM generate_series(1, 2000) g");
            assertEquals("acc_pkey 1", chosen(storage, s, "SELECT bid FROM acc WHERE aid = $1", "77"));
            assertEquals("acc_pkey 1", chosen(storage, s, "SELECT bid FROM acc WHERE $1 = aid", "77"));
            assertEquals("acc_pkey 1", chosen(storage, s, "UPDATE acc SET cid = cid + 1 WHERE aid = $1", "78"));
            assertEquals("acc_pkey 10", chosen(storage, s, "SELECT aid FROM acc WHERE aid > 1990 AND aid <= $1", "3000"));
            assertEquals("acc_bid_cid 29", chosen(storage, s, "SELECT aid FROM acc WHERE cid = 3 AND bid = $1", "4"));
            assertEquals("acc_bid 200", chosen(storage, s, "SELECT aid FROM acc WHERE bid = $1 AND filler = 'x'", "5"));
            assertEquals("acc_pkey 1", chosen(storage, s, "SELECT aid FROM acc WHERE filler = 'x' AND aid = $1", "9"));
            assertEquals("seqscan 287", chosen(storage, s, "SELECT aid FROM acc WHERE cid = $1", "2"));
            assertEquals("seqscan 0", chosen(storage, s, "SELECT aid FROM acc WHERE aid + 0 = $1", "0"));
            assertEquals("acc_pkey 0", chosen(storage, s, "SELECT aid FROM acc WHERE aid = $1", null));
        } finally {
            storage.stop();
        }
    }

    /** Runs sql with one parameter; returns the index the scan read (or "seqscan") and the row count. */
    private static String chosen(StorageFixture storage, TestSession s, String sql, String param) throws Exception {
        PreparedStatement ps = storage.engine.prepare(storage.engine.parse(sql).get(0), new int[0], s);
        List<byte[]> params = new ArrayList<>();
        params.add(param == null ? null : param.getBytes(StandardCharsets.UTF_8));
        Portal portal = ps.bind(params, new short[0], new short[0], s);
        String tag = portal.execute(0, row -> { }, s).commandTag();
        TableScan scan = find(ps, new IdentityHashMap<>());
        String index = scan.usedIndex() == null ? "seqscan" : scan.usedIndex().name();
        portal.close();
        s.endStatement(true);
        return index + " " + tag.substring(tag.lastIndexOf(' ') + 1);
    }

    /** The plan's TableScan, found through the plan objects' fields (the executor has no EXPLAIN yet). */
    private static TableScan find(Object o, Map<Object, Boolean> seen) throws IllegalAccessException {
        if (o == null || seen.put(o, true) != null || !o.getClass().getName().startsWith("org.osgres.sql")) {
            return o instanceof List<?> l ? findIn(l, seen) : null;
        }
        if (o instanceof TableScan t) {
            return t;
        }
        for (Class<?> c = o.getClass(); c != null && c.getName().startsWith("org.osgres.sql"); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType().isPrimitive() || java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                f.setAccessible(true);
                TableScan t = find(f.get(o), seen);
                if (t != null) {
                    return t;
                }
            }
        }
        return null;
    }

    private static TableScan findIn(List<?> list, Map<Object, Boolean> seen) throws IllegalAccessException {
        for (Object e : list) {
            TableScan t = find(e, seen);
            if (t != null) {
                return t;
            }
        }
        return null;
    }
}
