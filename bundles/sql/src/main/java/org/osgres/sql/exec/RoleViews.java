package org.osgres.sql.exec;

import java.util.ArrayList;
import java.util.List;

import org.osgres.api.auth.Role;
import org.osgres.api.auth.RoleCatalog;
import org.osgres.api.auth.RoleMembership;
import org.osgres.api.sql.SessionContext;
import org.osgres.api.sql.SystemView;

/*
 * RoleViews: pg_roles and pg_auth_members over the RoleCatalog service (PostgreSQL:
 * catalog/system_views.sql's pg_roles over pg_authid, and the pg_auth_members catalog).
 * pg_roles never shows passwords: rolpassword is always '********'.
 *
 * Entry points: roles(), authMembers().
 */
public final class RoleViews {
    private static final int NAME = 19;
    private static final int BOOL = 16;
    private static final int INT4 = 23;
    private static final int TEXT = 25;
    private static final int OID = 26;
    private static final int TIMESTAMPTZ = 1184;
    private static final int TEXT_ARRAY = 1009;

    private RoleViews() {
    }

    public static SystemView roles(EngineServices services) {
        return new SystemView() {
            @Override
            public String name() {
                return "pg_roles";
            }

            @Override
            public List<ViewColumn> columns() {
                return List.of(new ViewColumn("rolname", NAME), new ViewColumn("rolsuper", BOOL),
                        new ViewColumn("rolinherit", BOOL), new ViewColumn("rolcreaterole", BOOL),
                        new ViewColumn("rolcreatedb", BOOL), new ViewColumn("rolcanlogin", BOOL),
                        new ViewColumn("rolreplication", BOOL), new ViewColumn("rolconnlimit", INT4),
                        new ViewColumn("rolpassword", TEXT), new ViewColumn("rolvaliduntil", TIMESTAMPTZ),
                        new ViewColumn("rolbypassrls", BOOL), new ViewColumn("rolconfig", TEXT_ARRAY),
                        new ViewColumn("oid", OID));
            }

            @Override
            public List<Object[]> rows(SessionContext session) {
                RoleCatalog catalog = services.roles();
                List<Object[]> out = new ArrayList<>();
                for (Role r : catalog.roles()) {
                    out.add(new Object[] {r.name(), r.superuser(), r.inherit(), r.createRole(), r.createDb(),
                        r.canLogin(), r.replication(), r.connectionLimit(), "********", r.validUntil(), r.bypassRls(),
                        null, r.oid()});
                }
                return out;
            }
        };
    }

    public static SystemView authMembers(EngineServices services) {
        return new SystemView() {
            @Override
            public String name() {
                return "pg_auth_members";
            }

            @Override
            public List<ViewColumn> columns() {
                return List.of(new ViewColumn("roleid", OID), new ViewColumn("member", OID),
                        new ViewColumn("grantor", OID), new ViewColumn("admin_option", BOOL));
            }

            @Override
            public List<Object[]> rows(SessionContext session) {
                List<Object[]> out = new ArrayList<>();
                for (RoleMembership m : services.roles().memberships()) {
                    out.add(new Object[] {m.roleOid(), m.memberOid(), m.grantorOid(), m.adminOption()});
                }
                return out;
            }
        };
    }
}
