package org.osgres.api.catalog;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.osgres.api.error.PgException;
import org.osgres.api.xact.LockMode;
import org.osgres.api.xact.Transaction;

/**
 * The catalog of one database (PostgreSQL: the per-database catalogs with relcache.c and
 * namespace.c). What a transaction sees is the committed catalog plus its own uncommitted DDL
 * (a fresh catalog snapshot, not the statement's MVCC snapshot, as PostgreSQL's catalog
 * snapshot). DDL takes AccessExclusiveLock on the relations it changes, held to the end of the
 * transaction; other backends see the change when it commits and forget it when it aborts
 * (relation files created by an aborted transaction are removed, files dropped by a committed
 * one are removed at commit: smgr's pending deletes).
 *
 * <p>Names are as the parser case-folded them. A null schema means the search path: the
 * session's search_path setting as a list, with pg_catalog searched first when not listed
 * ("$user" is the session user's name).
 */
@ProviderType
public interface RelationCatalog {
    int databaseOid();

    /**
     * Finds a table by name and locks it (RangeVarGetRelidExtended): looks it up, takes the
     * lock, and looks again if DDL committed meanwhile.
     *
     * @return the table, or null when it does not exist and missingOk
     * @throws PgException 42P01 "relation \"%s\" does not exist" (the name as written, with
     *         schema if one was given), 3F000 "schema \"%s\" does not exist"
     */
    TableInfo openTable(Transaction tx, String schema, String name, List<String> searchPath, LockMode mode,
            boolean missingOk);

    /** The table with that oid as the transaction sees it, without locking, or null. */
    TableInfo table(Transaction tx, int relOid);

    /**
     * CREATE TABLE: a pg_class row, pg_attribute rows, pg_attrdef for defaults, and the heap's
     * empty main fork.
     *
     * @throws PgException 42P07 "relation \"%s\" already exists", 3F000 for a missing schema,
     *         3D000 "no schema has been selected to create in" for an empty search path
     */
    TableInfo createTable(Transaction tx, TableSpec spec, List<String> searchPath);

    /**
     * CREATE INDEX / ADD PRIMARY KEY / ADD UNIQUE: the index's catalog rows, its storage and
     * its build over the table's rows.
     *
     * @return the index, or null when ifNotExists and one of that name exists (after a NOTICE
     *         through the caller: the return tells it)
     * @throws PgException 42P07 for a name in use, 42P16 "multiple primary keys for table
     *         \"%s\" are not allowed", 23505 from the build, 23502 for NULLs in a new primary key
     */
    IndexInfo createIndex(Transaction tx, IndexSpec spec);

    /**
     * ADD FOREIGN KEY: checks the referenced columns have a unique index (42830 "there is no
     * unique constraint matching given keys for referenced table \"%s\""), checks every existing
     * row (23503 "insert or update on table \"%s\" violates foreign key constraint \"%s\""),
     * then records the constraint.
     */
    ConstraintInfo addForeignKey(Transaction tx, ForeignKeySpec spec);

    /**
     * DROP TABLE: the table, its indexes and constraints; with cascade also the foreign keys
     * of other tables that reference it (each with a NOTICE "drop cascades to constraint %s on
     * table %s" through the returned list); without, 2BP01 "cannot drop table %s because other
     * objects depend on it".
     *
     * @return the notices cascading produced, for the caller to send
     */
    List<String> dropTable(Transaction tx, int relOid, boolean cascade);

    /**
     * TRUNCATE: new empty files (relfilenodes) for the tables and their indexes, the old ones
     * removed at commit (ExecuteTruncateGuts). The caller has locked them AccessExclusive and
     * checked foreign keys (0A000 "cannot truncate a table referenced in a foreign key
     * constraint").
     */
    void truncate(Transaction tx, List<Integer> relOids);

    /** Every table in the database the transaction sees, catalogs included (for VACUUM with no name). */
    List<TableInfo> tables(Transaction tx);

    /**
     * Whether the table's current storage was created in this transaction, by CREATE TABLE or
     * TRUNCATE (PostgreSQL: rd_createSubid / rd_newRelfilelocatorSubid), as COPY FREEZE requires.
     *
     * @since 1.1
     */
    boolean storageCreatedIn(Transaction tx, TableInfo table);
}
