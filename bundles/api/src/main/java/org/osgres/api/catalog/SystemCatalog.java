package org.osgres.api.catalog;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.osgres.api.error.PgException;
import org.osgres.api.xact.Transaction;

/**
 * The system catalogs (PostgreSQL: catalog/ with the shared catalog pg_database and each
 * database's own catalogs under base/&lt;oid&gt;). initdb creates template1 (oid 1), template0
 * (4) and postgres (5), each with pg_catalog (11) and public (2200).
 */
@ProviderType
public interface SystemCatalog {
    /** The committed pg_database row with that name, or null (as InitPostgres looks it up). */
    DatabaseInfo database(String name);

    /** Every committed database. */
    List<DatabaseInfo> databases();

    /**
     * CREATE DATABASE name [OWNER owner] [TEMPLATE template]: copies the template's files
     * (FILE_COPY strategy) under a new oid. Cannot run in a transaction block (the caller checks:
     * 25001).
     *
     * @throws PgException 42P04 "database \"%s\" already exists", 3D000 "template database
     *         \"%s\" does not exist", 55006 "source database \"%s\" is being accessed by other
     *         users"
     */
    DatabaseInfo createDatabase(Transaction tx, String name, int ownerOid, String template);

    /**
     * DROP DATABASE [IF EXISTS] name.
     *
     * @return false when it did not exist and ifExists (the caller sends the NOTICE)
     * @throws PgException 3D000 "database \"%s\" does not exist", 55006 "database \"%s\" is
     *         being accessed by other users" (with the detail), 55006 "cannot drop the currently
     *         open database"
     */
    boolean dropDatabase(Transaction tx, String name, boolean ifExists, int currentDatabaseOid);

    /** One database's catalog. */
    RelationCatalog relations(int databaseOid);
}
