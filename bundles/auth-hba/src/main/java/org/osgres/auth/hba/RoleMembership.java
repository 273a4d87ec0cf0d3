package org.osgres.auth.hba;

/**
 * Whether a role is a member of another, directly or through other roles, superusers not
 * special (PostgreSQL: is_member_of_role_nosuper(), used by +role and samerole).
 *
 * <p>The api has no role catalog service yet; until one exists the default is that a role is a
 * member of itself only.
 */
@FunctionalInterface
public interface RoleMembership {
    /** Only the role itself. */
    RoleMembership SELF_ONLY = (user, role) -> user.equals(role);

    boolean isMember(String user, String role);
}
