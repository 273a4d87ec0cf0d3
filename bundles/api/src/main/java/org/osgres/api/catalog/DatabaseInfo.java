package org.osgres.api.catalog;

/**
 * One row of pg_database as the server needs it.
 *
 * @param connectionLimit datconnlimit; -1 for no limit
 */
public record DatabaseInfo(int oid, String name, int ownerOid, boolean isTemplate, boolean allowConnections,
        int connectionLimit) {
}
