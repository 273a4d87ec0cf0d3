package org.osgres.api.auth;

/** One row of pg_auth_members: member belongs to role, granted by grantor. */
public record RoleMembership(int roleOid, int memberOid, int grantorOid, boolean adminOption) {
}
