package org.osgres.api.catalog;

import java.util.List;

/**
 * One table constraint (PostgreSQL: pg_constraint).
 *
 * @param type       contype: 'p' primary key, 'u' unique, 'f' foreign key
 * @param columns    conkey: the constrained columns' attnums
 * @param indexOid   conindid: the index behind a 'p' or 'u' constraint, or the referenced
 *                   table's unique index a 'f' constraint checks through; 0 if none
 * @param refTableOid confrelid for 'f', else 0
 * @param refColumns confkey for 'f', else empty
 * @param onUpdate   confupdtype for 'f': 'a' no action, 'r' restrict, 'c' cascade, 'n' set null,
 *                   'd' set default; else ' '
 * @param onDelete   confdeltype, as onUpdate
 */
public record ConstraintInfo(int oid, String name, char type, List<Integer> columns, int indexOid, int refTableOid,
        List<Integer> refColumns, char onUpdate, char onDelete) {
    public ConstraintInfo {
        columns = List.copyOf(columns);
        refColumns = List.copyOf(refColumns);
    }
}
