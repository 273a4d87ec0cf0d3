/*
 * RoleViews: pg_authid, pg_roles, pg_auth_members, pg_user and pg_shadow as SystemView services
 * over the RoleCatalog (PostgreSQL: the catalogs pg_authid and pg_auth_members, the views of
 * catalog/system_views.sql). pg_roles and pg_user show passwords as ********; pg_authid and
 * pg_shadow are for superusers only (42501 "permission denied for table pg_authid", "... for
 * view pg_shadow").
 *
 * Entry points: the components below, one per relation.
 */
package org.osgres.auth.hba.views;

import java.util.ArrayList;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgres.api.auth.Role;
import org.osgres.api.auth.RoleCatalog;
import org.osgres.api.auth.RoleMembership;
import org.osgres.api.error.PgException;
import org.osgres.api.error.SqlState;
import org.osgres.api.sql.SessionContext;
import org.osgres.api.sql.SystemView;
import org.osgres.api.sql.SystemView.ViewColumn;

public final class RoleViews {
    static final int BOOL = 16;
    static final int NAME = 19;
    static final int INT4 = 23;
    static final int TEXT = 25;
    static final int OID = 26;
    static final int TEXT_ARRAY = 1009;
    static final int TIMESTAMPTZ = 1184;
    static final String HIDDEN_PASSWORD = "********";

    private RoleViews() {
    }

    static List<ViewColumn> cols(Object... nameType) {
        List<ViewColumn> c = new ArrayList<>();
        for (int i = 0; i < nameType.length; i += 2) {
            c.add(new ViewColumn((String) nameType[i], (Integer) nameType[i + 1]));
        }
        return List.copyOf(c);
    }

    /** The superuser-only check of a relation (PostgreSQL: aclcheck_error for a revoked SELECT). */
    static void requireSuperuser(RoleCatalog roles, SessionContext session, String kind, String relation) {
        boolean superuser = roles.find(session.user()).map(Role::superuser).orElse(false);
        if (!superuser) {
            throw new PgException(SqlState.INSUFFICIENT_PRIVILEGE, "permission denied for " + kind + " " + relation);
        }
    }

    /** pg_authid. */
    @Component(service = SystemView.class)
    public static final class PgAuthid implements SystemView {
        private final RoleCatalog roles;

        @Activate
        public PgAuthid(@Reference RoleCatalog roles) {
            this.roles = roles;
        }

        @Override
        public String name() {
            return "pg_authid";
        }

        @Override
        public List<ViewColumn> columns() {
            return cols("oid", OID, "rolname", NAME, "rolsuper", BOOL, "rolinherit", BOOL, "rolcreaterole", BOOL,
                    "rolcreatedb", BOOL, "rolcanlogin", BOOL, "rolreplication", BOOL, "rolbypassrls", BOOL,
                    "rolconnlimit", INT4, "rolpassword", TEXT, "rolvaliduntil", TIMESTAMPTZ);
        }

        @Override
        public List<Object[]> rows(SessionContext session) {
            requireSuperuser(roles, session, "table", name());
            List<Object[]> rows = new ArrayList<>();
            for (Role r : roles.roles()) {
                rows.add(new Object[] {r.oid(), r.name(), r.superuser(), r.inherit(), r.createRole(), r.createDb(),
                    r.canLogin(), r.replication(), r.bypassRls(), r.connectionLimit(), r.password(), r.validUntil()});
            }
            return rows;
        }
    }

    /** pg_roles. */
    @Component(service = SystemView.class)
    public static final class PgRoles implements SystemView {
        private final RoleCatalog roles;

        @Activate
        public PgRoles(@Reference RoleCatalog roles) {
            this.roles = roles;
        }

        @Override
        public String name() {
            return "pg_roles";
        }

        @Override
        public List<ViewColumn> columns() {
            return cols("rolname", NAME, "rolsuper", BOOL, "rolinherit", BOOL, "rolcreaterole", BOOL,
                    "rolcreatedb", BOOL, "rolcanlogin", BOOL, "rolreplication", BOOL, "rolconnlimit", INT4,
                    "rolpassword", TEXT, "rolvaliduntil", TIMESTAMPTZ, "rolbypassrls", BOOL, "rolconfig", TEXT_ARRAY,
                    "oid", OID);
        }

        @Override
        public List<Object[]> rows(SessionContext session) {
            List<Object[]> rows = new ArrayList<>();
            for (Role r : roles.roles()) {
                rows.add(new Object[] {r.name(), r.superuser(), r.inherit(), r.createRole(), r.createDb(), r.canLogin(),
                    r.replication(), r.connectionLimit(), HIDDEN_PASSWORD, r.validUntil(), r.bypassRls(), null,
                    r.oid()});
            }
            return rows;
        }
    }

    /** pg_auth_members. */
    @Component(service = SystemView.class)
    public static final class PgAuthMembers implements SystemView {
        private final RoleCatalog roles;

        @Activate
        public PgAuthMembers(@Reference RoleCatalog roles) {
            this.roles = roles;
        }

        @Override
        public String name() {
            return "pg_auth_members";
        }

        @Override
        public List<ViewColumn> columns() {
            return cols("roleid", OID, "member", OID, "grantor", OID, "admin_option", BOOL);
        }

        @Override
        public List<Object[]> rows(SessionContext session) {
            List<Object[]> rows = new ArrayList<>();
            for (RoleMembership m : roles.memberships()) {
                rows.add(new Object[] {m.roleOid(), m.memberOid(), m.grantorOid(), m.adminOption()});
            }
            return rows;
        }
    }

    /** pg_user and pg_shadow: the roles that can log in. */
    abstract static class UserView implements SystemView {
        private final RoleCatalog roles;
        private final boolean shadow;

        UserView(RoleCatalog roles, boolean shadow) {
            this.roles = roles;
            this.shadow = shadow;
        }

        @Override
        public List<ViewColumn> columns() {
            return cols("usename", NAME, "usesysid", OID, "usecreatedb", BOOL, "usesuper", BOOL, "userepl", BOOL,
                    "usebypassrls", BOOL, "passwd", TEXT, "valuntil", TIMESTAMPTZ, "useconfig", TEXT_ARRAY);
        }

        @Override
        public List<Object[]> rows(SessionContext session) {
            if (shadow) {
                requireSuperuser(roles, session, "view", name());
            }
            List<Object[]> rows = new ArrayList<>();
            for (Role r : roles.roles()) {
                if (r.canLogin()) {
                    rows.add(new Object[] {r.name(), r.oid(), r.createDb(), r.superuser(), r.replication(),
                        r.bypassRls(), shadow ? r.password() : HIDDEN_PASSWORD, r.validUntil(), null});
                }
            }
            return rows;
        }
    }

    /** pg_user. */
    @Component(service = SystemView.class)
    public static final class PgUser extends UserView {
        @Activate
        public PgUser(@Reference RoleCatalog roles) {
            super(roles, false);
        }

        @Override
        public String name() {
            return "pg_user";
        }
    }

    /** pg_shadow. */
    @Component(service = SystemView.class)
    public static final class PgShadow extends UserView {
        @Activate
        public PgShadow(@Reference RoleCatalog roles) {
            super(roles, true);
        }

        @Override
        public String name() {
            return "pg_shadow";
        }
    }
}
