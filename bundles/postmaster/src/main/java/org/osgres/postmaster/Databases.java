package org.osgres.postmaster;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgres.api.catalog.DatabaseInfo;
import org.osgres.api.catalog.SystemCatalog;

/**
 * The databases and their OIDs for the postmaster's views: pg_database through the SystemCatalog
 * service when one is installed, else the databases of a new cluster as initdb makes them
 * (PostgreSQL 15: template1 1, template0 4, postgres 5), for a server without storage.
 */
final class Databases {
    static final Map<String, Integer> OIDS = new LinkedHashMap<>();

    static {
        OIDS.put("postgres", 5);
        OIDS.put("template1", 1);
        OIDS.put("template0", 4);
    }

    private Databases() {
    }

    /** The database's OID, or null for none (background workers) or an unknown name. */
    static Integer oid(SystemCatalog catalog, String database) {
        if (database == null) {
            return null;
        }
        if (catalog != null) {
            DatabaseInfo db = catalog.database(database);
            return db == null ? null : db.oid();
        }
        return OIDS.get(database);
    }

    /** Every database's name and OID. */
    static Map<String, Integer> all(SystemCatalog catalog) {
        if (catalog == null) {
            return OIDS;
        }
        Map<String, Integer> m = new LinkedHashMap<>();
        for (DatabaseInfo db : catalog.databases()) {
            m.put(db.name(), db.oid());
        }
        return m;
    }
}
