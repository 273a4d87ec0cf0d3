package org.osgres.api.catalog;

/**
 * One column of a table (PostgreSQL: pg_attribute with its pg_attrdef default).
 *
 * @param attnum      1-based position
 * @param typeOid     atttypid
 * @param typmod      atttypmod: for varchar(n) and char(n) n + 4 (VARHDRSZ), for numeric(p,s)
 *                    ((p &lt;&lt; 16) | s) + 4; -1 for none
 * @param defaultExpr the DEFAULT expression as SQL text (the engine parses it again), or null
 */
public record ColumnInfo(int attnum, String name, int typeOid, int typmod, boolean notNull, String defaultExpr) {
}
