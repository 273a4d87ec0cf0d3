package org.osgres.api.buffer;

/** How {@link BufferManager#pin} fills a page that is not in shared buffers (PostgreSQL: ReadBufferMode). */
public enum ReadMode {
    /** Read it from the relation file; a block past the end is an error (RBM_NORMAL). */
    NORMAL,
    /**
     * Do not read: the caller is about to overwrite the whole page, so a miss gives a zeroed page
     * (RBM_ZERO_AND_LOCK without the lock; redo and bulk rewrites use it). The block may be past
     * the end of the file: writing it out extends the file.
     */
    ZERO
}
