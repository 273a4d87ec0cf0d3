package org.osgres.api.index;

/**
 * One condition of an index scan (PostgreSQL: ScanKeyData with a btree strategy number):
 * index column {@code column} (1-based, in key order) compared with {@code value} by
 * {@code op}. The value has the column's Java type (see org.osgres.api.heap.Attribute) and is
 * never null: a qual comparing with NULL is false and needs no scan.
 */
public record ScanKey(int column, Strategy op, Object value) {
    /** BTLessStrategyNumber .. BTGreaterStrategyNumber. */
    public enum Strategy {
        LESS, LESS_EQUAL, EQUAL, GREATER_EQUAL, GREATER
    }

    public ScanKey {
        if (value == null) {
            throw new IllegalArgumentException("a scan key never compares with NULL");
        }
    }
}
