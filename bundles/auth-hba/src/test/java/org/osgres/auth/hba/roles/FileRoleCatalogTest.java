package org.osgres.auth.hba.roles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.auth.Role;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

class FileRoleCatalogTest {
    @TempDir
    Path data;

    private static Role role(String name) {
        return new Role(0, name, false, true, false, false, true, false, false, -1, null, null);
    }

    @Test
    void bootstrapSuperuserHasOid10() throws IOException {
        RoleFile.bootstrap(data, "alice", null);
        FileRoleCatalog c = new FileRoleCatalog(data);
        Role su = c.find("alice").orElseThrow();
        assertEquals(10, su.oid());
        assertTrue(su.superuser());
        assertTrue(su.canLogin());
    }

    @Test
    void changesSurviveReopening() throws IOException {
        RoleFile.bootstrap(data, "alice", null);
        FileRoleCatalog c = new FileRoleCatalog(data);
        Role tab = new Role(0, "we\tird\\name", false, true, false, false, true, false, false, 3,
                "SCRAM-SHA-256$4096:c2FsdA==$a:b", OffsetDateTime.parse("2030-01-01T00:00:00Z"));
        Role created = c.create(tab);
        assertEquals(16384, created.oid());
        c.create(role("bob"));
        c.grant("bob", "we\tird\\name", "alice", true);

        FileRoleCatalog again = new FileRoleCatalog(data);
        Role back = again.find("we\tird\\name").orElseThrow();
        assertEquals(created, back);
        assertTrue(again.isMemberOf("we\tird\\name", "bob"));
        assertEquals(1, again.memberships().size());
    }

    @Test
    void membershipIsRecursiveAndDropRemovesIt() throws IOException {
        RoleFile.bootstrap(data, "alice", null);
        FileRoleCatalog c = new FileRoleCatalog(data);
        c.create(role("a"));
        c.create(role("b"));
        c.create(role("c"));
        c.grant("b", "a", "alice", false);
        c.grant("c", "b", "alice", false);
        assertTrue(c.isMemberOf("a", "c"));
        assertFalse(c.isMemberOf("c", "a"));
        c.drop("b");
        assertFalse(c.isMemberOf("a", "c"));
        assertTrue(c.memberships().isEmpty());
    }

    @Test
    void duplicateAndMissingAndReservedNames() throws IOException {
        RoleFile.bootstrap(data, "alice", null);
        FileRoleCatalog c = new FileRoleCatalog(data);
        assertEquals(SqlState.DUPLICATE_OBJECT, assertThrows(PgException.class, () -> c.create(role("alice"))).sqlState());
        PgException missing = assertThrows(PgException.class, () -> c.drop("nobody"));
        assertEquals("role \"nobody\" does not exist", missing.getMessage());
        assertEquals(SqlState.RESERVED_NAME, assertThrows(PgException.class, () -> c.create(role("pg_x"))).sqlState());
    }
}
