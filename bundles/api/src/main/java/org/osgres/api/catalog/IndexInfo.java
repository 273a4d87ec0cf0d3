package org.osgres.api.catalog;

import org.osgres.api.index.IndexRelation;

/**
 * One index of a table (PostgreSQL: pg_index with the index's pg_class row).
 *
 * @param primary    indisprimary
 * @param constraint whether it backs a PRIMARY KEY or UNIQUE constraint of the same name
 */
public record IndexInfo(int oid, String name, IndexRelation index, boolean primary, boolean constraint) {
    public boolean unique() {
        return index.unique();
    }
}
