package org.osgres.api.catalog;

import java.util.List;

/**
 * What CREATE INDEX, a PRIMARY KEY or a UNIQUE constraint asks the catalog for.
 *
 * @param name       the index name, or null to choose one as PostgreSQL does
 *                   (ChooseRelationName: table_pkey, table_col_key, table_col_idx)
 * @param columns    key columns by attnum, in key order
 * @param primary    PRIMARY KEY: unique, and the columns become NOT NULL (failing with 23502
 *                   if a row has NULL there); 42P16 if the table already has one
 * @param constraint PRIMARY KEY or UNIQUE constraint (a pg_constraint row of the index's name)
 */
public record IndexSpec(int tableOid, String name, List<Integer> columns, boolean unique, boolean primary,
        boolean constraint, boolean ifNotExists) {
    public IndexSpec {
        columns = List.copyOf(columns);
    }
}
