package org.osgres.auth.hba.roles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.auth.Role;
import org.osgres.api.auth.RoleCatalog;
import org.osgres.api.auth.RoleMembership;
import org.osgres.api.config.Settings;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The roles (PostgreSQL: pg_authid, pg_auth_members, and the membership checks of
 * utils/adt/acl.c), kept in global/pg_authid (RoleFile) and in memory. Every change rewrites the
 * file durably before it returns.
 *
 * Entry points: find(), create(), alter(), drop(), grant(), revoke(), isMemberOf().
 */
@Component(service = RoleCatalog.class)
public final class FileRoleCatalog implements RoleCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(FileRoleCatalog.class);
    /** PostgreSQL: FirstNormalObjectId, the first OID handed to user-created objects. */
    private static final int FIRST_NORMAL_OID = 16384;

    private final Path file;
    private final List<Role> roles = new ArrayList<>();
    private final List<RoleMembership> memberships = new ArrayList<>();

    @Activate
    public FileRoleCatalog(@Reference Settings settings) throws IOException {
        this(settings.dataDirectory());
    }

    /** Opens the catalog of a data directory; one without a roles file gets the OS user as superuser. */
    public FileRoleCatalog(Path dataDirectory) throws IOException {
        this.file = dataDirectory.resolve(RoleFile.RELATIVE_PATH);
        if (!Files.exists(file)) {
            String user = System.getProperty("user.name");
            LOG.warn("no roles file \"{}\": creating it with superuser \"{}\"", file, user);
            RoleFile.bootstrap(dataDirectory, user, null);
        }
        RoleFile.Contents c = RoleFile.read(file);
        roles.addAll(c.roles());
        memberships.addAll(c.memberships());
    }

    @Override
    public synchronized Optional<Role> find(String name) {
        return roles.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    @Override
    public synchronized Optional<Role> find(int oid) {
        return roles.stream().filter(r -> r.oid() == oid).findFirst();
    }

    @Override
    public synchronized List<Role> roles() {
        return List.copyOf(roles);
    }

    @Override
    public synchronized Role create(Role role) {
        if (role.name().startsWith("pg_")) {
            throw new PgException(SqlState.RESERVED_NAME, "role name \"" + role.name() + "\" is reserved")
                    .withDetail("Role names starting with \"pg_\" are reserved.");
        }
        if (find(role.name()).isPresent()) {
            throw new PgException(SqlState.DUPLICATE_OBJECT, "role \"" + role.name() + "\" already exists");
        }
        int oid = Math.max(FIRST_NORMAL_OID, roles.stream().mapToInt(Role::oid).max().orElse(0) + 1);
        Role created = new Role(oid, role.name(), role.superuser(), role.inherit(), role.createRole(), role.createDb(),
                role.canLogin(), role.replication(), role.bypassRls(), role.connectionLimit(), role.password(),
                role.validUntil());
        List<Role> next = new ArrayList<>(roles);
        next.add(created);
        commit(next, memberships);
        return created;
    }

    @Override
    public synchronized Role alter(String name, Role changed) {
        Role old = require(name);
        Role updated = new Role(old.oid(), changed.name(), changed.superuser(), changed.inherit(), changed.createRole(),
                changed.createDb(), changed.canLogin(), changed.replication(), changed.bypassRls(),
                changed.connectionLimit(), changed.password(), changed.validUntil());
        List<Role> next = new ArrayList<>(roles);
        next.set(next.indexOf(old), updated);
        commit(next, memberships);
        return updated;
    }

    @Override
    public synchronized void drop(String name) {
        Role old = require(name);
        List<Role> next = new ArrayList<>(roles);
        next.remove(old);
        List<RoleMembership> nextMembers = new ArrayList<>(memberships);
        nextMembers.removeIf(m -> m.roleOid() == old.oid() || m.memberOid() == old.oid());
        commit(next, nextMembers);
    }

    @Override
    public synchronized void grant(String role, String member, String grantor, boolean adminOption) {
        Role r = require(role);
        Role m = require(member);
        Role g = require(grantor);
        List<RoleMembership> next = new ArrayList<>(memberships);
        next.removeIf(x -> x.roleOid() == r.oid() && x.memberOid() == m.oid());
        next.add(new RoleMembership(r.oid(), m.oid(), g.oid(), adminOption));
        commit(roles, next);
    }

    @Override
    public synchronized void revoke(String role, String member) {
        Role r = require(role);
        Role m = require(member);
        List<RoleMembership> next = new ArrayList<>(memberships);
        next.removeIf(x -> x.roleOid() == r.oid() && x.memberOid() == m.oid());
        commit(roles, next);
    }

    @Override
    public synchronized List<RoleMembership> memberships() {
        return List.copyOf(memberships);
    }

    @Override
    public synchronized boolean isMemberOf(String member, String role) {
        Optional<Role> m = find(member);
        Optional<Role> r = find(role);
        if (m.isEmpty() || r.isEmpty()) {
            return false;
        }
        Set<Integer> seen = new HashSet<>();
        Deque<Integer> todo = new ArrayDeque<>(List.of(m.get().oid()));
        while (!todo.isEmpty()) {
            int oid = todo.pop();
            if (oid == r.get().oid()) {
                return true;
            }
            if (seen.add(oid)) {
                for (RoleMembership x : memberships) {
                    if (x.memberOid() == oid) {
                        todo.push(x.roleOid());
                    }
                }
            }
        }
        return false;
    }

    private Role require(String name) {
        return find(name).orElseThrow(() -> new PgException(SqlState.UNDEFINED_OBJECT,
                "role \"" + name + "\" does not exist"));
    }

    /** Writes the new state durably, then makes it current; a failed write changes nothing. */
    private void commit(List<Role> nextRoles, List<RoleMembership> nextMemberships) {
        try {
            RoleFile.write(file, new RoleFile.Contents(nextRoles, nextMemberships));
        } catch (IOException e) {
            throw new PgException(SqlState.IO_ERROR, "could not write file \"" + file + "\": " + e.getMessage(), e);
        }
        List<Role> r = List.copyOf(nextRoles);
        List<RoleMembership> m = List.copyOf(nextMemberships);
        roles.clear();
        roles.addAll(r);
        memberships.clear();
        memberships.addAll(m);
    }
}
