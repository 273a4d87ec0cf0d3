package org.osgres.buffer;

import org.osgres.api.buffer.ForkNumber;
import org.osgres.api.buffer.RelFileLocator;

/**
 * What a shared buffer holds (PostgreSQL: BufferTag in buf_internals.h): relation, fork and
 * block number. The block number is PostgreSQL's BlockNumber, an unsigned 32-bit number in an int.
 */
record BufferTag(RelFileLocator rel, ForkNumber fork, int block) {
    /** MaxBlockNumber: 0xFFFFFFFE (0xFFFFFFFF is InvalidBlockNumber). */
    static final long MAX_BLOCK_NUMBER = 0xFFFF_FFFEL;

    long blockNumber() {
        return Integer.toUnsignedLong(block);
    }

    @Override
    public String toString() {
        return "[" + rel + fork.suffix() + " blk " + blockNumber() + "]";
    }
}
