package org.osgres.api.catalog;

import java.util.List;

/**
 * What CREATE TABLE asks the catalog for, after the engine checked names and types.
 *
 * @param schema     the schema named, or null for the first existing schema of the search
 *                   path (the creation namespace)
 * @param columns    attnum, name, type, typmod, NOT NULL and default of each column, in order
 *                   (attnum 1..n)
 * @param fillfactor the heap's fillfactor (WITH (fillfactor=N)), 10..100
 */
public record TableSpec(String schema, String name, List<ColumnInfo> columns, int fillfactor) {
    public TableSpec {
        columns = List.copyOf(columns);
    }
}
