package org.osgres.e2e;

import static org.junit.jupiter.api.Assertions.*;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * Tables shared by concurrent sessions through pgjdbc: a row lock makes the second updater wait
 * and then re-check the row (READ COMMITTED) or fail with 40001 (REPEATABLE READ), two sessions
 * locking rows in opposite order get 40P01, a duplicate key from another session gets 23505 once
 * it commits, and uncommitted rows stay invisible to other sessions. The messages are
 * PostgreSQL 15's (the suite passes against it: e2e/tools/run-against-postgres.sh).
 */
class StorageConcurrencyIT extends WithServer {

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static long value(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }

    /** Waits until the other session shows up in pg_stat_activity waiting for a lock. */
    static void awaitLockWait(Connection observer) throws Exception {
        assertTrue(Wait.until(Duration.ofSeconds(30), () -> {
            try {
                return value(observer, "select count(*) from pg_stat_activity where wait_event_type = 'Lock'") > 0;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }), "no session waits for a lock");
    }

    @BeforeEach
    void table() throws Exception {
        try (Connection c = server.connect()) {
            exec(c, "drop table if exists acct");
            exec(c, "create table acct(id int primary key, bal int not null)");
            exec(c, "insert into acct values (1, 100), (2, 200)");
        }
    }

    @Test
    void aRowLockMakesTheSecondUpdaterWaitThenRecheckUnderReadCommitted() throws Exception {
        try (Connection a = server.connect(); Connection b = server.connect(); Connection o = server.connect()) {
            a.setAutoCommit(false);
            exec(a, "update acct set bal = bal + 10 where id = 1");
            CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() -> {
                try (Statement s = b.createStatement()) {
                    return s.executeUpdate("update acct set bal = bal * 2 where id = 1 and bal >= 100");
                } catch (SQLException e) {
                    throw new RuntimeException(e);
                }
            });
            awaitLockWait(o);
            assertFalse(waiter.isDone(), "the second update waits for the first transaction");
            a.commit();
            assertEquals(1, waiter.get(30, TimeUnit.SECONDS));
            assertEquals(220, value(o, "select bal from acct where id = 1"), "(100 + 10) * 2: the re-check saw 110");
        }
    }

    @Test
    void repeatableReadFailsWith40001OnAConcurrentUpdate() throws Exception {
        try (Connection a = server.connect(); Connection b = server.connect(); Connection o = server.connect()) {
            a.setAutoCommit(false);
            exec(b, "begin isolation level repeatable read");
            assertEquals(100, value(b, "select bal from acct where id = 1"));
            exec(a, "update acct set bal = 1 where id = 1");
            CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
                try {
                    exec(b, "update acct set bal = 2 where id = 1");
                } catch (SQLException e) {
                    throw new RuntimeException(e);
                }
            });
            awaitLockWait(o);
            a.commit();
            Throwable t = assertThrows(Exception.class, () -> waiter.get(30, TimeUnit.SECONDS)).getCause().getCause();
            PSQLException e = assertInstanceOf(PSQLException.class, t);
            assertEquals("40001", e.getSQLState());
            assertEquals("could not serialize access due to concurrent update", e.getServerErrorMessage().getMessage());
            exec(b, "rollback");
        }
    }

    @Test
    void opposingRowLocksAreADeadlock() throws Exception {
        try (Connection a = server.connect(); Connection b = server.connect(); Connection o = server.connect()) {
            exec(o, "set deadlock_timeout = '100ms'");
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            exec(a, "set deadlock_timeout = '100ms'");
            exec(b, "set deadlock_timeout = '100ms'");
            exec(a, "update acct set bal = bal + 1 where id = 1");
            exec(b, "update acct set bal = bal + 1 where id = 2");
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> outcome(a, "update acct set bal = bal + 1 where id = 2"));
            awaitLockWait(o);
            String second = outcome(b, "update acct set bal = bal + 1 where id = 1");
            String firstOutcome = first.get(30, TimeUnit.SECONDS);
            // exactly one of the two is chosen as the victim; the other goes on
            List<String> outcomes = List.of(firstOutcome, second);
            assertTrue(outcomes.contains("ok"), outcomes.toString());
            String victim = outcomes.get(outcomes.get(0).equals("ok") ? 1 : 0);
            assertTrue(victim.startsWith("40P01 deadlock detected | Process "), victim);
            assertTrue(victim.contains(" waits for ShareLock on transaction "), victim);
            assertTrue(victim.endsWith("| See server log for query details."), victim);
            a.rollback();
            b.rollback();
        }
    }

    /** "ok", or "SQLSTATE message | detail | hint" of the error. */
    static String outcome(Connection c, String sql) {
        try {
            exec(c, sql);
            return "ok";
        } catch (PSQLException e) {
            ServerErrorMessage m = e.getServerErrorMessage();
            return e.getSQLState() + " " + m.getMessage() + " | " + m.getDetail() + " | " + m.getHint();
        } catch (SQLException e) {
            return e.toString();
        }
    }

    @Test
    void aDuplicateKeyFromAnotherSessionFailsOnceItCommits() throws Exception {
        try (Connection a = server.connect(); Connection b = server.connect(); Connection o = server.connect()) {
            a.setAutoCommit(false);
            exec(a, "insert into acct values (3, 300)");
            CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> outcome(b, "insert into acct values (3, 301)"));
            awaitLockWait(o);
            a.commit();
            assertEquals("23505 duplicate key value violates unique constraint \"acct_pkey\" | Key (id)=(3) already exists. | null",
                    second.get(30, TimeUnit.SECONDS));
            assertEquals("23505 duplicate key value violates unique constraint \"acct_pkey\" | Key (id)=(1) already exists. | null",
                    outcome(b, "insert into acct values (1, 0)"));
        }
    }

    @Test
    void aDuplicateKeyOfARolledBackInsertIsFine() throws Exception {
        try (Connection a = server.connect(); Connection b = server.connect(); Connection o = server.connect()) {
            a.setAutoCommit(false);
            exec(a, "insert into acct values (4, 400)");
            CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> outcome(b, "insert into acct values (4, 401)"));
            awaitLockWait(o);
            a.rollback();
            assertEquals("ok", second.get(30, TimeUnit.SECONDS));
            assertEquals(401, value(o, "select bal from acct where id = 4"));
        }
    }

    @Test
    void jdbcIsolationLevelsReachTheServer() throws Exception {
        try (Connection a = server.connect(); Connection rr = server.connect()) {
            rr.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            rr.setAutoCommit(false);
            assertEquals(200, value(rr, "select bal from acct where id = 2"));
            exec(a, "update acct set bal = 0 where id = 2");
            assertEquals(200, value(rr, "select bal from acct where id = 2"), "the transaction's snapshot");
            rr.commit();
            assertEquals(0, value(rr, "select bal from acct where id = 2"));
        }
    }

    @Test
    void uncommittedRowsAreInvisibleToOthersAndRepeatableReadKeepsItsSnapshot() throws Exception {
        try (Connection a = server.connect(); Connection b = server.connect(); Connection rr = server.connect()) {
            exec(rr, "begin isolation level repeatable read");
            assertEquals(2, value(rr, "select count(*) from acct"));
            a.setAutoCommit(false);
            exec(a, "insert into acct values (5, 500)");
            exec(a, "delete from acct where id = 1");
            assertEquals(2, value(a, "select count(*) from acct where id in (2, 5)"), "a sees its own changes");
            assertEquals(2, value(b, "select count(*) from acct"), "b does not see a's uncommitted changes");
            assertEquals(1, value(b, "select count(*) from acct where id = 1"));
            a.commit();
            assertEquals(0, value(b, "select count(*) from acct where id = 1"), "read committed sees the commit");
            assertEquals(1, value(b, "select count(*) from acct where id = 5"));
            assertEquals(1, value(rr, "select count(*) from acct where id = 1"), "repeatable read keeps its snapshot");
            assertEquals(0, value(rr, "select count(*) from acct where id = 5"));
            exec(rr, "commit");
            assertEquals(0, value(rr, "select count(*) from acct where id = 1"));
        }
    }
}
