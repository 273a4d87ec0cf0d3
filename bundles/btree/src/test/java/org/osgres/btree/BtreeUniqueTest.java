package org.osgres.btree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.heap.Attribute;
import org.osgres.api.heap.ItemPointer;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TupleDesc;
import org.osgres.api.index.IndexRelation;
import org.osgres.api.index.ScanKey;
import org.osgres.api.xact.Transaction;

/**
 * Unique checks with the real heap and transactions: PostgreSQL 15's texts (errors.txt, recorded
 * by record-errors.sh) for insert and build, a second inserter of a key waiting for the first
 * and then failing (commit) or succeeding (abort), and a deleter's outcome deciding likewise.
 */
class BtreeUniqueTest {
    static final TupleDesc ACCOUNTS = TupleDesc.of(Attribute.of("aid", Attribute.INT4), Attribute.of("bid", Attribute.INT4),
            Attribute.of("abalance", Attribute.INT4), Attribute.of("filler", Attribute.BPCHAR));

    BtreeFixture f;
    Relation accounts;
    IndexRelation pkey;

    @BeforeEach
    void setUp(@TempDir Path dir) {
        f = new BtreeFixture(dir, 64);
        accounts = f.table("pgbench_accounts", 16384, ACCOUNTS);
        pkey = f.index("pgbench_accounts_pkey", 16385, accounts, List.of(1), true);
        f.btree.createStorage(pkey);
    }

    @AfterEach
    void tearDown() {
        f.stop();
    }

    static Map<String, List<String>> golden() throws IOException {
        Map<String, List<String>> cases = new LinkedHashMap<>();
        try (InputStream in = BtreeUniqueTest.class.getResourceAsStream("errors.txt")) {
            List<String> current = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("== ")) {
                    current = new ArrayList<>();
                    cases.put(line.substring(3), current);
                } else {
                    current.add(line);
                }
            }
        }
        return cases;
    }

    static void assertGolden(String name, SqlState state, PgException e) throws IOException {
        assertEquals(state, e.sqlState());
        assertEquals(golden().get(name), List.of("ERROR: " + e.getMessage(), "DETAIL: " + e.detail()), name);
    }

    Object[] account(int aid) {
        return new Object[] {aid, 1, 0, " ".repeat(84)};
    }

    @Test
    void duplicateOfCommittedRow() throws IOException {
        Transaction t1 = f.begin();
        f.insert(t1, accounts, account(1), pkey);
        t1.commit();
        Transaction t2 = f.begin();
        PgException e = assertThrows(PgException.class, () -> f.insert(t2, accounts, account(1), pkey));
        assertGolden("insert-int4", SqlState.UNIQUE_VIOLATION, e);
        t2.abort();
        Transaction t3 = f.begin();
        f.insert(t3, accounts, account(2), pkey); // the index still takes other keys
        PgException again = assertThrows(PgException.class, () -> f.insert(t3, accounts, account(2), pkey));
        assertEquals(SqlState.UNIQUE_VIOLATION, again.sqlState()); // own insert counts as live
        t3.abort();
    }

    @Test
    void deletedAndAbortedRowsDoNotConflict() {
        Transaction t1 = f.begin();
        ItemPointer tid = f.insert(t1, accounts, account(1), pkey);
        t1.commit();
        Transaction t2 = f.begin();
        f.heap.delete(accounts, t2, tid);
        f.insert(t2, accounts, account(1), pkey); // deleted by ourselves: gone
        t2.commit();
        Transaction t3 = f.begin();
        f.insert(t3, accounts, account(5), pkey);
        t3.abort();
        Transaction t4 = f.begin();
        f.insert(t4, accounts, account(5), pkey); // the aborted one is gone
        t4.commit();
        Transaction r = f.begin();
        assertEquals(1, f.scan(pkey, r, new ScanKey(1, ScanKey.Strategy.EQUAL, 1)).size());
        assertEquals(1, f.scan(pkey, r, new ScanKey(1, ScanKey.Strategy.EQUAL, 5)).size());
        r.commit();
    }

    @Test
    void nullsNeverConflict() {
        Transaction t = f.begin();
        Relation rel = f.table("osgres_n", 16390, TupleDesc.of(Attribute.of("a", Attribute.INT4), Attribute.of("b", Attribute.TEXT)));
        IndexRelation ab = f.index("osgres_n_ab", 16391, rel, List.of(1, 2), true);
        f.btree.createStorage(ab);
        f.insert(t, rel, new Object[] {1, null}, ab);
        f.insert(t, rel, new Object[] {1, null}, ab);
        f.insert(t, rel, new Object[] {null, null}, ab);
        t.commandCounterIncrement();
        assertEquals(3, f.scan(ab, t).size());
        t.commit();
    }

    /** B inserts the key A is inserting: B waits; A's commit makes B fail, A's abort lets B in. */
    private void concurrentInsert(boolean firstCommits) throws Exception {
        Transaction a = f.begin();
        f.insert(a, accounts, account(42), pkey);
        AtomicInteger ticks = new AtomicInteger();
        Transaction b = f.begin(ticks);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread tb = Thread.ofVirtual().start(() -> {
            try {
                f.insert(b, accounts, account(42), pkey);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        BtreeFixture.until(() -> ticks.get() > 2, "b waits for a");
        assertTrue(tb.isAlive());
        if (firstCommits) {
            a.commit();
        } else {
            a.abort();
        }
        tb.join();
        if (firstCommits) {
            PgException e = (PgException) failure.get();
            assertEquals(SqlState.UNIQUE_VIOLATION, e.sqlState());
            assertEquals("Key (aid)=(42) already exists.", e.detail());
            b.abort();
        } else {
            assertNull(failure.get());
            b.commit();
        }
        Transaction r = f.begin();
        assertEquals(1, f.scan(pkey, r, new ScanKey(1, ScanKey.Strategy.EQUAL, 42)).size());
        r.commit();
    }

    @Test
    void secondInserterFailsWhenFirstCommits() throws Exception {
        concurrentInsert(true);
    }

    @Test
    void secondInserterSucceedsWhenFirstAborts() throws Exception {
        concurrentInsert(false);
    }

    /** B inserts the key of a row A is deleting: B waits; A's commit lets B in, A's abort makes B fail. */
    private void concurrentDelete(boolean deleterCommits) throws Exception {
        Transaction setup = f.begin();
        ItemPointer tid = f.insert(setup, accounts, account(7), pkey);
        setup.commit();
        Transaction a = f.begin();
        f.heap.delete(accounts, a, tid);
        AtomicInteger ticks = new AtomicInteger();
        Transaction b = f.begin(ticks);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread tb = Thread.ofVirtual().start(() -> {
            try {
                f.insert(b, accounts, account(7), pkey);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        BtreeFixture.until(() -> ticks.get() > 2, "b waits for a");
        if (deleterCommits) {
            a.commit();
        } else {
            a.abort();
        }
        tb.join();
        if (deleterCommits) {
            assertNull(failure.get());
            b.commit();
        } else {
            assertEquals(SqlState.UNIQUE_VIOLATION, ((PgException) failure.get()).sqlState());
            b.abort();
        }
    }

    @Test
    void inserterWaitsForDeleterThatCommits() throws Exception {
        concurrentDelete(true);
    }

    @Test
    void inserterWaitsForDeleterThatAborts() throws Exception {
        concurrentDelete(false);
    }

    @Test
    void typesInTheDetailAsPostgresPrintsThem() throws IOException {
        TupleDesc desc = TupleDesc.of(Attribute.of("i2", Attribute.INT2), Attribute.of("i8", Attribute.INT8),
                Attribute.of("f", Attribute.FLOAT8), Attribute.of("n", Attribute.NUMERIC), Attribute.of("b", Attribute.BOOL),
                Attribute.of("d", Attribute.DATE), Attribute.of("ts", Attribute.TIMESTAMP), Attribute.of("c", Attribute.BPCHAR),
                Attribute.of("v", Attribute.VARCHAR), Attribute.of("t", Attribute.TEXT));
        Relation rel = f.table("osgres_types", 16400, desc);
        IndexRelation key = f.index("osgres_types_key", 16401, rel, List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), true);
        f.btree.createStorage(key);
        Object[] row = {(short) -3, 9000000000L, 1e20, new BigDecimal("1.50"), true, LocalDate.of(2024, 1, 2),
            LocalDateTime.of(2024, 1, 2, 3, 4, 5, 500_000_000), "ab   ", "x y", "it's \"q\""};
        Transaction t = f.begin();
        f.insert(t, rel, row, key);
        PgException e = assertThrows(PgException.class, () -> f.insert(t, rel, row, key));
        assertGolden("insert-types", SqlState.UNIQUE_VIOLATION, e);
        t.abort();

        Relation q = f.table("osgres_q", 16402, TupleDesc.of(Attribute.of("Mixed", Attribute.INT4), Attribute.of("with space", Attribute.TEXT)));
        IndexRelation qkey = f.index("osgres_q_key", 16403, q, List.of(1, 2), true);
        f.btree.createStorage(qkey);
        Transaction t2 = f.begin();
        f.insert(t2, q, new Object[] {7, "é"}, qkey);
        e = assertThrows(PgException.class, () -> f.insert(t2, q, new Object[] {7, "é"}, qkey));
        assertGolden("insert-quoted", SqlState.UNIQUE_VIOLATION, e);
        t2.abort();
    }

    @Test
    void indexRowTooBig() throws Exception {
        Relation big = f.table("osgres_big", 16410, TupleDesc.of(Attribute.of("id", Attribute.INT4), Attribute.of("t", Attribute.TEXT)));
        IndexRelation byT = f.index("osgres_big_t", 16411, big, List.of(2), false);
        f.btree.createStorage(byT);
        StringBuilder sb = new StringBuilder();
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        for (int i = 1; i <= 100; i++) {
            sb.append(HexFormat.of().formatHex(md5.digest(Integer.toString(i).getBytes(StandardCharsets.UTF_8))));
        }
        Transaction t = f.begin();
        PgException e = assertThrows(PgException.class, () -> f.insert(t, big, new Object[] {1, sb.toString()}, byT));
        assertGolden("too-big", SqlState.PROGRAM_LIMIT_EXCEEDED, e);
        t.abort();
    }
}
