package org.osgres.api.heap;

import java.util.List;

/** A table's row type as the heap sees it (PostgreSQL: TupleDesc): its columns in order. */
public record TupleDesc(List<Attribute> attributes) {
    /** PostgreSQL: MaxHeapAttributeNumber. */
    public static final int MAX_HEAP_ATTRIBUTE_NUMBER = 1600;

    public TupleDesc {
        attributes = List.copyOf(attributes);
    }

    public static TupleDesc of(Attribute... attributes) {
        return new TupleDesc(List.of(attributes));
    }

    /** natts. */
    public int size() {
        return attributes.size();
    }

    public Attribute get(int i) {
        return attributes.get(i);
    }
}
