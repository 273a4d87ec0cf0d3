package org.osgres.sql;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgres.api.auth.Role;
import org.osgres.api.auth.RoleCatalog;
import org.osgres.api.auth.RoleMembership;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;

/** A RoleCatalog in memory for tests, with initdb's bootstrap superuser "postgres" (OID 10). */
final class InMemoryRoleCatalog implements RoleCatalog {
    private final List<Role> roles = new ArrayList<>();
    private final List<RoleMembership> memberships = new ArrayList<>();

    InMemoryRoleCatalog() {
        roles.add(new Role(Role.BOOTSTRAP_SUPERUSER_OID, "postgres", true, true, true, true, true, true, true, -1,
                null, null));
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
        if (find(role.name()).isPresent()) {
            throw new PgException(SqlState.DUPLICATE_OBJECT, "role \"" + role.name() + "\" already exists");
        }
        int oid = Math.max(16384, roles.stream().mapToInt(Role::oid).max().orElse(0) + 1);
        Role r = new Role(oid, role.name(), role.superuser(), role.inherit(), role.createRole(), role.createDb(),
                role.canLogin(), role.replication(), role.bypassRls(), role.connectionLimit(), role.password(),
                role.validUntil());
        roles.add(r);
        return r;
    }

    @Override
    public synchronized Role alter(String name, Role changed) {
        Role old = require(name);
        Role r = new Role(old.oid(), changed.name(), changed.superuser(), changed.inherit(), changed.createRole(),
                changed.createDb(), changed.canLogin(), changed.replication(), changed.bypassRls(),
                changed.connectionLimit(), changed.password(), changed.validUntil());
        roles.set(roles.indexOf(old), r);
        return r;
    }

    @Override
    public synchronized void drop(String name) {
        Role old = require(name);
        roles.remove(old);
        memberships.removeIf(m -> m.roleOid() == old.oid() || m.memberOid() == old.oid());
    }

    @Override
    public synchronized void grant(String role, String member, String grantor, boolean adminOption) {
        Role r = require(role);
        Role m = require(member);
        Role g = require(grantor);
        memberships.removeIf(x -> x.roleOid() == r.oid() && x.memberOid() == m.oid());
        memberships.add(new RoleMembership(r.oid(), m.oid(), g.oid(), adminOption));
    }

    @Override
    public synchronized void revoke(String role, String member) {
        Role r = require(role);
        Role m = require(member);
        memberships.removeIf(x -> x.roleOid() == r.oid() && x.memberOid() == m.oid());
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
}
