package org.osgres.api.heap;

/**
 * A tuple's address (PostgreSQL: ItemPointerData, a ctid): block number and line pointer offset,
 * printed as {@code (block,offset)}. The block is unsigned 32-bit, the offset 1-based.
 */
public record ItemPointer(int block, int offset) {
    /** The block as a non-negative number. */
    public long blockNumber() {
        return Integer.toUnsignedLong(block);
    }

    @Override
    public String toString() {
        return "(" + Integer.toUnsignedString(block) + "," + offset + ")";
    }
}
