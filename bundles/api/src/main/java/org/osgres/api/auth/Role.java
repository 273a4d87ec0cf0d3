package org.osgres.api.auth;

import java.time.OffsetDateTime;

/**
 * A role as pg_authid stores it.
 *
 * @param oid             the role's OID (10 for the bootstrap superuser, 16384 and up for others)
 * @param name            rolname
 * @param superuser       rolsuper
 * @param inherit         rolinherit
 * @param createRole      rolcreaterole
 * @param createDb        rolcreatedb
 * @param canLogin        rolcanlogin
 * @param replication     rolreplication
 * @param bypassRls       rolbypassrls
 * @param connectionLimit rolconnlimit, -1 for no limit
 * @param password        rolpassword: a SCRAM-SHA-256 or md5 verifier, or null
 * @param validUntil      rolvaliduntil, or null for no expiry
 */
public record Role(int oid, String name, boolean superuser, boolean inherit, boolean createRole, boolean createDb,
        boolean canLogin, boolean replication, boolean bypassRls, int connectionLimit, String password,
        OffsetDateTime validUntil) {

    /** OID of the superuser initdb creates (PostgreSQL: BOOTSTRAP_SUPERUSERID). */
    public static final int BOOTSTRAP_SUPERUSER_OID = 10;
}
