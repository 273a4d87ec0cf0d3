package org.osgres.api.catalog;

import java.util.List;
import java.util.Optional;

import org.osgres.api.heap.Relation;

/**
 * A table as a transaction sees it (PostgreSQL: a relcache entry, RelationData): its pg_class
 * row, the heap to read and write (whose relfilenode changes with TRUNCATE), its columns,
 * indexes and constraints, and the foreign keys of other tables that reference it.
 *
 * @param relkind        'r' ordinary table (system catalogs are 'r' too, in pg_catalog)
 * @param referencedBy   foreign keys of other tables (or this one) whose refTableOid is this table
 */
public record TableInfo(int oid, String schema, String name, char relkind, int ownerOid, Relation heap,
        List<ColumnInfo> columns, List<IndexInfo> indexes, List<ConstraintInfo> constraints,
        List<ReferencingKey> referencedBy, boolean systemCatalog) {
    public TableInfo {
        columns = List.copyOf(columns);
        indexes = List.copyOf(indexes);
        constraints = List.copyOf(constraints);
        referencedBy = List.copyOf(referencedBy);
    }

    /** A foreign key of table {@code tableOid} that references this table. */
    public record ReferencingKey(int tableOid, ConstraintInfo constraint) {
    }

    /** The column with that (already case-folded) name. */
    public Optional<ColumnInfo> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    /** The primary key's index, if there is one. */
    public Optional<IndexInfo> primaryKey() {
        return indexes.stream().filter(IndexInfo::primary).findFirst();
    }
}
