package org.osgres.postmaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

class BackendSlotsTest {
    @Test
    void tooManyClientsIsFatal53300AndReleaseFreesASlot() throws InterruptedException {
        BackendSlots slots = new BackendSlots(2, 100);
        BackendSlots.Slot a = slots.acquire(null);
        BackendSlots.Slot b = slots.acquire(null);
        PgException e = assertThrows(PgException.class, () -> slots.acquire(null));
        assertEquals(SqlState.TOO_MANY_CONNECTIONS, e.sqlState());
        assertEquals("sorry, too many clients already", e.getMessage());
        assertNotEquals(a.key().pid(), b.key().pid());
        slots.release(a);
        BackendSlots.Slot c = slots.acquire(null);
        assertSame(c, slots.find(c.key().pid()));
        assertNull(slots.find(a.key().pid()));
        slots.release(b);
        slots.release(c);
        assertTrue(slots.awaitEmpty(System.nanoTime() + 1_000_000));
    }

    @Test
    void pidsStayUniqueAcrossManySessions() {
        BackendSlots slots = new BackendSlots(10, Integer.MAX_VALUE - 2);
        java.util.Set<Integer> live = new java.util.HashSet<>();
        for (int i = 0; i < 10; i++) {
            assertTrue(live.add(slots.acquire(null).key().pid()));
        }
    }
}
