package org.osgres.api.buffer;

/**
 * Where a relation's files are (PostgreSQL 15: RelFileNode; 16 renamed it RelFileLocator): the
 * tablespace, the database and the relfilenode number. Oids are unsigned 32-bit numbers held in
 * ints; {@link #toString()} prints them unsigned.
 *
 * <p>Files: {@code base/<dbOid>/<relNumber>} in pg_default, {@code global/<relNumber>} in
 * pg_global, {@code pg_tblspc/<spcOid>/PG_15_202209061/<dbOid>/<relNumber>} elsewhere.
 */
public record RelFileLocator(int spcOid, int dbOid, int relNumber) {
    /** pg_default's oid (PostgreSQL: DEFAULTTABLESPACE_OID). */
    public static final int DEFAULT_TABLESPACE_OID = 1663;
    /** pg_global's oid (PostgreSQL: GLOBALTABLESPACE_OID), for shared catalogs. */
    public static final int GLOBAL_TABLESPACE_OID = 1664;

    /** A relation in the database's default tablespace, pg_default. */
    public static RelFileLocator of(int dbOid, int relNumber) {
        return new RelFileLocator(DEFAULT_TABLESPACE_OID, dbOid, relNumber);
    }

    @Override
    public String toString() {
        return Integer.toUnsignedString(spcOid) + "/" + Integer.toUnsignedString(dbOid) + "/"
                + Integer.toUnsignedString(relNumber);
    }
}
