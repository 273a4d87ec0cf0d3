package org.osgres.api.catalog;

import java.util.List;

/**
 * ALTER TABLE ... ADD [CONSTRAINT name] FOREIGN KEY (columns) REFERENCES refTable [(refColumns)].
 *
 * @param name       the constraint name, or null for PostgreSQL's choice (table_col_fkey)
 * @param refColumns the referenced columns, or empty for the referenced table's primary key
 * @param onUpdate   'a' no action (default), 'r', 'c', 'n', 'd' as ConstraintInfo
 */
public record ForeignKeySpec(int tableOid, String name, List<Integer> columns, int refTableOid,
        List<Integer> refColumns, char onUpdate, char onDelete) {
    public ForeignKeySpec {
        columns = List.copyOf(columns);
        refColumns = List.copyOf(refColumns);
    }
}
