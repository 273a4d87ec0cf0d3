package org.osgres.api.heap;

/**
 * Row lock strength (PostgreSQL: LockTupleMode) for the modes one locker can hold alone. The
 * shared modes (FOR SHARE, FOR KEY SHARE) need MultiXact ids and are not there yet.
 */
public enum RowLockMode {
    /** LockTupleNoKeyExclusive: SELECT FOR NO KEY UPDATE, and what UPDATE takes. */
    FOR_NO_KEY_UPDATE,
    /** LockTupleExclusive: SELECT FOR UPDATE, and what DELETE takes. */
    FOR_UPDATE
}
