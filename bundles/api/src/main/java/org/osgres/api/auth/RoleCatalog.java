package org.osgres.api.auth;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The roles and their memberships (PostgreSQL: pg_authid and pg_auth_members). Changes are
 * durable when the call returns. Authentication reads it; CREATE/ALTER/DROP ROLE and
 * GRANT/REVOKE write it.
 */
@ProviderType
public interface RoleCatalog {

    /** The role with this exact name. */
    Optional<Role> find(String name);

    /** The role with this OID. */
    Optional<Role> find(int oid);

    /** Every role, by OID. */
    List<Role> roles();

    /**
     * Creates a role; its OID is assigned here (the given one is ignored).
     *
     * @throws org.osgres.api.error.PgException 42710 role "x" already exists, 42939 for reserved names
     */
    Role create(Role role);

    /**
     * Replaces a role's attributes (ALTER ROLE); the OID stays.
     *
     * @throws org.osgres.api.error.PgException 42704 role "x" does not exist
     */
    Role alter(String name, Role changed);

    /**
     * Removes a role and its memberships.
     *
     * @throws org.osgres.api.error.PgException 42704 role "x" does not exist
     */
    void drop(String name);

    /** GRANT role TO member [WITH ADMIN OPTION]. */
    void grant(String role, String member, String grantor, boolean adminOption);

    /** REVOKE role FROM member. */
    void revoke(String role, String member);

    /** Every membership row. */
    List<RoleMembership> memberships();

    /** True when member is role, or belongs to it directly or through other roles (PostgreSQL: is_member_of_role). */
    boolean isMemberOf(String member, String role);
}
