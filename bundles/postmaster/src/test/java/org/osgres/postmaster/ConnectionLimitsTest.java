package org.osgres.postmaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;
import org.osgres.api.session.BackendStatus;

class ConnectionLimitsTest {
    static BackendSlots.Slot session(BackendSlots slots, String user) {
        BackendSlots.Slot s = slots.acquire(null);
        s.status().setIdentity(user, "postgres", null);
        return s;
    }

    @Test
    void reservedSlotsAreForSuperusers() {
        BackendSlots slots = new BackendSlots(6, 2, 100);
        for (int i = 0; i < 4; i++) {
            slots.checkLimits(session(slots, "regular"), false, -1);
        }
        BackendSlots.Slot fifth = session(slots, "regular");
        PgException e = assertThrows(PgException.class, () -> slots.checkLimits(fifth, false, -1));
        assertEquals(SqlState.TOO_MANY_CONNECTIONS, e.sqlState());
        assertEquals(Severity.FATAL, e.severity());
        assertEquals("remaining connection slots are reserved for non-replication superuser connections", e.getMessage());
        slots.release(fifth);
        slots.checkLimits(session(slots, "admin"), true, -1);
        slots.checkLimits(session(slots, "admin"), true, -1);
        assertEquals("sorry, too many clients already",
                assertThrows(PgException.class, () -> slots.acquire(null)).getMessage());
    }

    @Test
    void roleConnectionLimitCountsThatRolesSessions() {
        BackendSlots slots = new BackendSlots(10, 0, 100);
        slots.checkLimits(session(slots, "limited"), false, 2);
        slots.checkLimits(session(slots, "other"), false, 2);
        slots.checkLimits(session(slots, "limited"), false, 2);
        BackendSlots.Slot third = session(slots, "limited");
        PgException e = assertThrows(PgException.class, () -> slots.checkLimits(third, false, 2));
        assertEquals("too many connections for role \"limited\"", e.getMessage());
        slots.checkLimits(third, true, 2); // superusers are not limited
        BackendSlots.Slot zero = session(slots, "nobody");
        assertThrows(PgException.class, () -> slots.checkLimits(zero, false, 0), "CONNECTION LIMIT 0");
    }

    @Test
    void workersShowInTheRegistryWithoutTakingSlots() {
        BackendSlots slots = new BackendSlots(1, 0, 100);
        BackendStatus logger = slots.registerWorker("logger");
        BackendSlots.Slot s = slots.acquire(null);
        assertTrue(logger.pid() != s.key().pid());
        assertEquals(2, slots.backends().size());
        assertEquals(1, slots.count(), "a worker takes no connection slot");
        assertEquals(false, slots.terminate(logger.pid()), "workers are not signalled as backends");
        slots.unregisterWorker(logger);
        assertEquals(1, slots.backends().size());
    }
}
