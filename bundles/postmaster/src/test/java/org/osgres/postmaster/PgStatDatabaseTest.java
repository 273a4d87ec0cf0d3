package org.osgres.postmaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

class PgStatDatabaseTest {
    @Test
    void countsPerDatabaseWithPostgresColumns() {
        PgStatDatabase view = new PgStatDatabase();
        assertEquals(28, view.columns().size());
        assertEquals("stats_reset", view.columns().get(27).name());
        view.transactionEnded("postgres", true);
        view.transactionEnded("postgres", true);
        view.transactionEnded("postgres", false);
        view.transactionEnded("template1", false);
        view.sessionEnded("postgres", 1500, 1000, 250, org.osgres.api.session.DatabaseStatistics.SessionEnd.KILLED);
        List<Object[]> rows = view.rows(null);
        assertEquals(4, rows.size());
        assertEquals(0, rows.get(0)[0]);
        assertNull(rows.get(0)[1]);
        Object[] pg = rows.get(1);
        assertEquals("postgres", pg[1]);
        assertEquals(2L, pg[3]);
        assertEquals(1L, pg[4]);
        assertEquals(0L, pg[5], "blks_read: no buffer pool yet");
        assertEquals(1.5, pg[20]);
        assertEquals(1.0, pg[21]);
        assertEquals(0.25, pg[22]);
        assertEquals(1L, pg[23]);
        assertEquals(1L, pg[26]);
        assertNull(pg[16], "checksum_failures without data checksums");
        assertEquals(1L, rows.get(2)[4]);
    }
}
