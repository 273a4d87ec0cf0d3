package org.osgres.api.index;

import java.util.List;

import org.osgres.api.buffer.RelFileLocator;
import org.osgres.api.heap.Relation;
import org.osgres.api.heap.TupleDesc;

/**
 * An index as the access method needs it (PostgreSQL: the parts of an index's RelationData and
 * IndexInfo that nbtree reads): its files, oid and name (the name is the constraint's in unique
 * violations), the heap it indexes, the heap columns it keys on (1-based attribute numbers, in
 * key order) with their storage description, and whether it is unique.
 *
 * @param keyAttnums  heap attribute numbers of the key columns (IndexInfo.ii_IndexAttrNumbers)
 * @param keyDesc     the key columns' descriptions, in key order (names as the heap's columns)
 * @param fillfactor  leaf fillfactor, 10..100 (PostgreSQL's btree default: 90)
 */
public record IndexRelation(RelFileLocator locator, int relOid, String name, Relation heap,
        List<Integer> keyAttnums, TupleDesc keyDesc, boolean unique, int fillfactor) {
    /** BTREE_DEFAULT_FILLFACTOR. */
    public static final int DEFAULT_FILLFACTOR = 90;

    public IndexRelation {
        keyAttnums = List.copyOf(keyAttnums);
        if (keyAttnums.size() != keyDesc.size()) {
            throw new IllegalArgumentException("key columns " + keyAttnums + " do not match " + keyDesc);
        }
    }

    /** The key values of a heap row (FormIndexDatum): values[attnum - 1] for each key column. */
    public Object[] keyOf(Object[] heapValues) {
        Object[] key = new Object[keyAttnums.size()];
        for (int i = 0; i < key.length; i++) {
            key[i] = heapValues[keyAttnums.get(i) - 1];
        }
        return key;
    }
}
