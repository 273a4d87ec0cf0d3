package org.osgres.postmaster;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The databases of a new cluster and their OIDs, as initdb makes them (PostgreSQL 15:
 * template1 1, template0 4, postgres 5). A stand-in until the database catalog exists (the
 * storage/catalog issue); the backend keeps the same list.
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
    static Integer oid(String database) {
        return database == null ? null : OIDS.get(database);
    }
}
