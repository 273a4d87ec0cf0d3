package org.osgres.sql.exec;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgres.api.auth.Role;
import org.osgres.api.auth.RoleCatalog;
import org.osgres.api.auth.RoleMembership;
import org.osgres.api.error.PgException;
import org.osgres.api.error.Severity;
import org.osgres.api.error.SqlState;
import org.osgres.api.sql.SessionContext;
import org.osgres.sql.parser.Ast;
import org.osgres.sql.parser.Ast.RoleOption;
import org.osgres.sql.parser.Ast.RoleSpec;
import org.osgres.sql.parser.Lexer;
import org.osgres.sql.types.PgType;
import org.osgres.sql.types.TypeIO;

/*
 * RoleCommands: CREATE/ALTER/DROP ROLE and GRANT/REVOKE role (PostgreSQL: commands/user.c
 * CreateRole, AlterRole, RenameRole, DropRole, GrantRole, AddRoleMems, DelRoleMems, with the
 * privilege tests of utils/adt/acl.c: superuser(), have_createrole_privilege(),
 * is_admin_of_role(), is_member_of_role_nosuper()).
 *
 * The roles live in the RoleCatalog service; passwords are hashed by the PasswordEncryption
 * service with the session's password_encryption. The permission rules and messages are
 * PostgreSQL 15's. Role DDL is not transactional yet: osgres has no catalog transactions, so a
 * role statement inside a transaction block takes effect at once and a ROLLBACK does not undo
 * it.
 *
 * Entry points: plan() -- a Plan that runs one role statement.
 * See also: parser.RoleParser -- the grammar; api.auth.RoleCatalog -- the storage.
 */
public final class RoleCommands {
    private final EngineServices services;
    private final SessionContext session;
    private final String src;

    private RoleCommands(EngineServices services, SessionContext session, String src) {
        this.services = services;
        this.session = session;
        this.src = src;
    }

    /** A plan running the statement; src is the query text, for error positions. */
    public static Plan plan(Ast.RoleStmt stmt, EngineServices services, String src) {
        return new Plan() {
            @Override
            public List<Column> columns() {
                return List.of();
            }

            @Override
            public Output run(EvalContext ctx) {
                RoleCommands rc = new RoleCommands(services, ctx.session(), src);
                String tag = switch (stmt) {
                    case Ast.CreateRoleStmt s -> rc.create(s);
                    case Ast.AlterRoleStmt s -> rc.alter(s);
                    case Ast.RenameRoleStmt s -> rc.rename(s);
                    case Ast.DropRoleStmt s -> rc.drop(s);
                    case Ast.GrantRoleStmt s -> rc.grant(s);
                };
                return new Output(List.of(), tag, false);
            }
        };
    }

    // ---- privilege tests (acl.c, superuser.c)

    private RoleCatalog catalog() {
        return services.roles();
    }

    /** The current user's role (GetUserId()). */
    private Role currentRole() {
        return catalog().find(session.user()).orElseThrow(() -> new PgException(SqlState.UNDEFINED_OBJECT,
                "role \"" + session.user() + "\" does not exist"));
    }

    private boolean superuser() {
        return currentRole().superuser();
    }

    private boolean haveCreateRolePrivilege() {
        Role r = currentRole();
        return r.superuser() || r.createRole();
    }

    /** is_admin_of_role(): superusers, and members (at any depth) holding ADMIN OPTION on the role. */
    static boolean isAdminOfRole(RoleCatalog catalog, Role member, Role role) {
        if (member.superuser()) {
            return true;
        }
        if (member.oid() == role.oid()) {
            return false;
        }
        List<RoleMembership> all = catalog.memberships();
        Set<Integer> seen = new HashSet<>();
        List<Integer> todo = new ArrayList<>(List.of(member.oid()));
        for (int i = 0; i < todo.size(); i++) {
            int oid = todo.get(i);
            for (RoleMembership m : all) {
                if (m.memberOid() == oid) {
                    if (m.roleOid() == role.oid() && m.adminOption()) {
                        return true;
                    }
                    if (seen.add(m.roleOid())) {
                        todo.add(m.roleOid());
                    }
                }
            }
        }
        return false;
    }

    private PgException denied(String message) {
        return new PgException(SqlState.INSUFFICIENT_PRIVILEGE, message);
    }

    private static PgException noSuchRole(String name) {
        return new PgException(SqlState.UNDEFINED_OBJECT, "role \"" + name + "\" does not exist");
    }

    /** get_rolespec_tuple(): CURRENT_USER and friends are the session user; PUBLIC is no role. */
    private Role roleOf(RoleSpec spec) {
        if (spec.isName()) {
            return catalog().find(spec.name()).orElseThrow(() -> noSuchRole(spec.name()));
        }
        if (spec.kind().equals("public")) {
            throw noSuchRole("public");
        }
        return currentRole();
    }

    private static String specName(RoleSpec spec, SessionContext session) {
        return spec.isName() ? spec.name() : spec.kind().equals("public") ? "public" : session.user();
    }

    // ---- options

    /** The options of one statement, duplicates refused as errorConflictingDefElem() does. */
    private final class Options {
        final java.util.Map<String, RoleOption> byName = new java.util.HashMap<>();

        Options(List<RoleOption> options) {
            for (RoleOption o : options) {
                if (o.name().equals("sysid")) {
                    session.notice(new PgException(SqlState.SUCCESSFUL_COMPLETION, "SYSID can no longer be specified")
                            .withSeverity(Severity.NOTICE));
                    continue;
                }
                if (byName.putIfAbsent(o.name(), o) != null) {
                    throw new PgException(SqlState.SYNTAX_ERROR, "conflicting or redundant options")
                            .atPosition(Lexer.position(src, o.location()));
                }
            }
        }

        boolean has(String name) {
            return byName.containsKey(name);
        }

        boolean bool(String name, boolean dflt) {
            RoleOption o = byName.get(name);
            return o == null ? dflt : (Boolean) o.value();
        }

        @SuppressWarnings("unchecked")
        List<RoleSpec> roles(String name) {
            RoleOption o = byName.get(name);
            return o == null ? List.of() : (List<RoleSpec>) o.value();
        }

        Object value(String name) {
            RoleOption o = byName.get(name);
            return o == null ? null : o.value();
        }
    }

    private OffsetDateTime validUntil(String text) {
        if (text.equalsIgnoreCase("infinity")) {
            return null;
        }
        return (OffsetDateTime) TypeIO.input(PgType.TIMESTAMPTZ, -1, text);
    }

    /** The verifier to store for a PASSWORD clause, or null (PASSWORD NULL, or the empty string). */
    private String password(String roleName, String password) {
        if (password == null) {
            return null;
        }
        if (password.isEmpty()) {
            session.notice(new PgException(SqlState.SUCCESSFUL_COMPLETION,
                    "empty string is not a valid password, clearing password").withSeverity(Severity.NOTICE));
            return null;
        }
        return services.passwordEncryption().encrypt(roleName, password, session.getSetting("password_encryption"));
    }

    private void checkConnectionLimit(Options o) {
        Object v = o.value("connectionlimit");
        if (v != null && (Integer) v < -1) {
            throw new PgException(SqlState.INVALID_PARAMETER_VALUE, "invalid connection limit: " + v);
        }
    }

    // ---- CREATE ROLE

    private String create(Ast.CreateRoleStmt s) {
        Options o = new Options(s.options());
        boolean issuper = o.bool("superuser", false);
        boolean isreplication = o.bool("isreplication", false);
        boolean bypassrls = o.bool("bypassrls", false);
        checkConnectionLimit(o);
        if (issuper) {
            if (!superuser()) {
                throw denied("must be superuser to create superusers");
            }
        } else if (isreplication) {
            if (!superuser()) {
                throw denied("must be superuser to create replication users");
            }
        } else if (bypassrls) {
            if (!superuser()) {
                throw denied("must be superuser to create bypassrls users");
            }
        } else if (!haveCreateRolePrivilege()) {
            throw denied("permission denied to create role");
        }
        if (s.name().startsWith("pg_")) {
            throw new PgException(SqlState.RESERVED_NAME, "role name \"" + s.name() + "\" is reserved")
                    .withDetail("Role names starting with \"pg_\" are reserved.");
        }
        if (catalog().find(s.name()).isPresent()) {
            throw new PgException(SqlState.DUPLICATE_OBJECT, "role \"" + s.name() + "\" already exists");
        }
        OffsetDateTime until = o.has("validUntil") ? validUntil((String) o.value("validUntil")) : null;
        // Resolve the member lists before anything is written, as user.c does in roleSpecsToIds().
        List<Role> addTo = new ArrayList<>();
        for (RoleSpec r : o.roles("addroleto")) {
            addTo.add(roleOf(r));
        }
        List<Role> admins = new ArrayList<>();
        for (RoleSpec r : o.roles("adminmembers")) {
            admins.add(roleOf(r));
        }
        List<Role> members = new ArrayList<>();
        for (RoleSpec r : o.roles("rolemembers")) {
            members.add(roleOf(r));
        }
        String verifier = o.has("password") ? password(s.name(), (String) o.value("password")) : null;
        boolean canLogin = o.bool("canlogin", s.kind() == Ast.RoleStmtKind.USER);
        Object limit = o.value("connectionlimit");
        Role created = catalog().create(new Role(0, s.name(), issuper, o.bool("inherit", true),
                o.bool("createrole", false), o.bool("createdb", false), canLogin, isreplication, bypassrls,
                limit == null ? -1 : (Integer) limit, verifier, until));
        Role grantor = currentRole();
        for (Role r : addTo) {
            addRoleMems(r, List.of(created), List.of(s.name()), grantor, false);
        }
        addRoleMems(created, admins, names(o.roles("adminmembers")), grantor, true);
        addRoleMems(created, members, names(o.roles("rolemembers")), grantor, false);
        return "CREATE ROLE";
    }

    private List<String> names(List<RoleSpec> specs) {
        List<String> out = new ArrayList<>();
        for (RoleSpec r : specs) {
            out.add(specName(r, session));
        }
        return out;
    }

    // ---- ALTER ROLE

    private String alter(Ast.AlterRoleStmt s) {
        Options o = new Options(s.options());
        checkConnectionLimit(o);
        Role role = roleOf(s.role());
        if (role.superuser() || o.has("superuser")) {
            if (!superuser()) {
                throw denied("must be superuser to alter superuser roles or change superuser attribute");
            }
        } else if (role.replication() || o.has("isreplication")) {
            if (!superuser()) {
                throw denied("must be superuser to alter replication roles or change replication attribute");
            }
        } else if (o.has("bypassrls")) {
            if (!superuser()) {
                throw denied("must be superuser to change bypassrls attribute");
            }
        } else if (!haveCreateRolePrivilege()) {
            boolean onlyOwnPassword = o.has("password") && o.byName.size() == 1
                    && role.oid() == currentRole().oid() && s.action() == 0;
            if (!onlyOwnPassword) {
                throw denied("permission denied");
            }
        }
        OffsetDateTime until = o.has("validUntil") ? validUntil((String) o.value("validUntil")) : role.validUntil();
        String verifier = o.has("password") ? password(role.name(), (String) o.value("password")) : role.password();
        Object limit = o.value("connectionlimit");
        Role changed = new Role(role.oid(), role.name(), o.bool("superuser", role.superuser()),
                o.bool("inherit", role.inherit()), o.bool("createrole", role.createRole()),
                o.bool("createdb", role.createDb()), o.bool("canlogin", role.canLogin()),
                o.bool("isreplication", role.replication()), o.bool("bypassrls", role.bypassRls()),
                limit == null ? role.connectionLimit() : (Integer) limit, verifier, until);
        if (!changed.equals(role)) {
            catalog().alter(role.name(), changed);
        }
        if (o.has("rolemembers")) {
            List<Role> members = new ArrayList<>();
            for (RoleSpec r : o.roles("rolemembers")) {
                members.add(roleOf(r));
            }
            if (s.action() > 0) {
                addRoleMems(role, members, names(o.roles("rolemembers")), currentRole(), false);
            } else if (s.action() < 0) {
                delRoleMems(role, members, names(o.roles("rolemembers")), false);
            }
        }
        return "ALTER ROLE";
    }

    // ---- ALTER ROLE RENAME

    private String rename(Ast.RenameRoleStmt s) {
        Role role = catalog().find(s.oldName()).orElseThrow(() -> noSuchRole(s.oldName()));
        if (role.name().equals(session.user())) {
            throw new PgException(SqlState.FEATURE_NOT_SUPPORTED, "session user cannot be renamed");
        }
        if (role.name().startsWith("pg_")) {
            throw reserved(role.name());
        }
        if (s.newName().startsWith("pg_")) {
            throw reserved(s.newName());
        }
        if (catalog().find(s.newName()).isPresent()) {
            throw new PgException(SqlState.DUPLICATE_OBJECT, "role \"" + s.newName() + "\" already exists");
        }
        if (role.superuser()) {
            if (!superuser()) {
                throw denied("must be superuser to rename superusers");
            }
        } else if (!haveCreateRolePrivilege()) {
            throw denied("permission denied to rename role");
        }
        String password = role.password();
        if (password != null && password.startsWith("md5") && password.length() == 35) {
            password = null;
            session.notice(new PgException(SqlState.SUCCESSFUL_COMPLETION,
                    "MD5 password cleared because of role rename").withSeverity(Severity.NOTICE));
        }
        catalog().alter(role.name(), new Role(role.oid(), s.newName(), role.superuser(), role.inherit(),
                role.createRole(), role.createDb(), role.canLogin(), role.replication(), role.bypassRls(),
                role.connectionLimit(), password, role.validUntil()));
        return "ALTER ROLE";
    }

    private static PgException reserved(String name) {
        return new PgException(SqlState.RESERVED_NAME, "role name \"" + name + "\" is reserved")
                .withDetail("Role names starting with \"pg_\" are reserved.");
    }

    // ---- DROP ROLE

    private String drop(Ast.DropRoleStmt s) {
        if (!haveCreateRolePrivilege()) {
            throw denied("permission denied to drop role");
        }
        for (RoleSpec spec : s.roles()) {
            if (!spec.isName()) {
                throw new PgException(SqlState.INVALID_PARAMETER_VALUE,
                        "cannot use special role specifier in DROP ROLE");
            }
            Optional<Role> found = catalog().find(spec.name());
            if (found.isEmpty()) {
                if (!s.missingOk()) {
                    throw noSuchRole(spec.name());
                }
                session.notice(new PgException(SqlState.SUCCESSFUL_COMPLETION,
                        "role \"" + spec.name() + "\" does not exist, skipping").withSeverity(Severity.NOTICE));
                continue;
            }
            Role role = found.get();
            if (role.name().equals(session.user())) {
                throw new PgException(SqlState.OBJECT_IN_USE, "current user cannot be dropped");
            }
            if (role.superuser() && !superuser()) {
                throw denied("must be superuser to drop superusers");
            }
            if (role.oid() == Role.BOOTSTRAP_SUPERUSER_OID) {
                throw new PgException(SqlState.DEPENDENT_OBJECTS_STILL_EXIST,
                        "cannot drop role " + role.name() + " because it is required by the database system");
            }
            catalog().drop(role.name());
        }
        return "DROP ROLE";
    }

    // ---- GRANT / REVOKE role

    private String grant(Ast.GrantRoleStmt s) {
        Role grantor = s.grantedBy() == null ? currentRole() : roleOf(s.grantedBy());
        List<Role> grantees = new ArrayList<>();
        for (RoleSpec g : s.grantees()) {
            grantees.add(roleOf(g));
        }
        List<String> granteeNames = names(s.grantees());
        for (RoleSpec r : s.roles()) {
            Role role = catalog().find(r.name()).orElseThrow(() -> noSuchRole(r.name()));
            if (s.grant()) {
                addRoleMems(role, grantees, granteeNames, grantor, s.adminOption());
            } else {
                delRoleMems(role, grantees, granteeNames, s.adminOption());
            }
        }
        return s.grant() ? "GRANT ROLE" : "REVOKE ROLE";
    }

    /** The permission test AddRoleMems and DelRoleMems share. */
    private void checkAlterMembers(Role role, Role grantor) {
        if (role.superuser()) {
            if (!superuser()) {
                throw denied("must be superuser to alter superusers");
            }
        } else if (!haveCreateRolePrivilege() && !isAdminOfRole(catalog(), grantor, role)) {
            throw denied("must have admin option on role \"" + role.name() + "\"");
        }
    }

    /** AddRoleMems(): make each member a member of role. */
    private void addRoleMems(Role role, List<Role> members, List<String> memberNames, Role grantor,
            boolean admin) {
        if (members.isEmpty()) {
            return;
        }
        checkAlterMembers(role, grantor);
        if (grantor.oid() != currentRole().oid() && !superuser()) {
            throw denied("must be superuser to set grantor");
        }
        for (int i = 0; i < members.size(); i++) {
            Role member = members.get(i);
            if (isMemberNoSuper(role, member)) {
                throw new PgException(SqlState.INVALID_GRANT_OPERATION, "role \"" + role.name()
                        + "\" is a member of role \"" + memberNames.get(i) + "\"");
            }
            Optional<RoleMembership> existing = membership(role, member);
            if (existing.isPresent() && (!admin || existing.get().adminOption())) {
                session.notice(new PgException(SqlState.SUCCESSFUL_COMPLETION, "role \"" + memberNames.get(i)
                        + "\" is already a member of role \"" + role.name() + "\"").withSeverity(Severity.NOTICE));
                continue;
            }
            catalog().grant(role.name(), member.name(), grantor.name(), admin);
        }
    }

    /** DelRoleMems(): remove memberships, or only their admin option. */
    private void delRoleMems(Role role, List<Role> members, List<String> memberNames, boolean adminOnly) {
        if (members.isEmpty()) {
            return;
        }
        checkAlterMembers(role, currentRole());
        for (int i = 0; i < members.size(); i++) {
            Role member = members.get(i);
            Optional<RoleMembership> existing = membership(role, member);
            if (existing.isEmpty()) {
                session.notice(new PgException(SqlState.WARNING, "role \"" + memberNames.get(i)
                        + "\" is not a member of role \"" + role.name() + "\"").withSeverity(Severity.WARNING));
                continue;
            }
            catalog().revoke(role.name(), member.name());
            if (adminOnly) {
                String grantorName = catalog().find(existing.get().grantorOid()).map(Role::name)
                        .orElse(currentRole().name());
                catalog().grant(role.name(), member.name(), grantorName, false);
            }
        }
    }

    private Optional<RoleMembership> membership(Role role, Role member) {
        return catalog().memberships().stream()
                .filter(m -> m.roleOid() == role.oid() && m.memberOid() == member.oid()).findFirst();
    }

    /** is_member_of_role_nosuper(member, role): member is role or belongs to it at any depth. */
    private boolean isMemberNoSuper(Role member, Role role) {
        return catalog().isMemberOf(member.name(), role.name());
    }

    /** is_member_of_role(): superusers are members of everything. */
    public static boolean isMemberOfRole(RoleCatalog catalog, String member, String role) {
        Optional<Role> m = catalog.find(member);
        if (m.isPresent() && m.get().superuser()) {
            return true;
        }
        return catalog.isMemberOf(member, role);
    }
}
