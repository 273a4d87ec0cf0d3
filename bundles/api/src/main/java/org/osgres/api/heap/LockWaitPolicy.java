package org.osgres.api.heap;

/** What to do when a row is locked by another transaction (PostgreSQL: LockWaitPolicy). */
public enum LockWaitPolicy {
    /** LockWaitBlock: wait for it. */
    BLOCK,
    /** LockWaitSkip: SKIP LOCKED. */
    SKIP,
    /** LockWaitError: NOWAIT, fail with 55P03. */
    ERROR
}
