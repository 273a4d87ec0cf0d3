package org.osgres.api.heap;

/** The outcome of changing or locking a tuple (PostgreSQL: TM_Result, access/tableam.h). */
public enum TmResult {
    /** TM_Ok: done. */
    OK,
    /** TM_Invisible: the tuple is not visible to the command (an error for callers that expect it). */
    INVISIBLE,
    /** TM_SelfModified: this transaction's own later command already changed it; the statement skips it. */
    SELF_MODIFIED,
    /** TM_Updated: another committed transaction updated it; the newest version is given (READ COMMITTED). */
    UPDATED,
    /** TM_Deleted: another committed transaction deleted it; the statement skips it. */
    DELETED,
    /** TM_WouldBlock: SKIP LOCKED and the row is locked. */
    WOULD_BLOCK
}
