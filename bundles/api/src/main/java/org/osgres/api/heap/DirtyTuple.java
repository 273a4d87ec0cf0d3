package org.osgres.api.heap;

/**
 * What a dirty snapshot sees of one tuple (PostgreSQL: HeapTupleSatisfiesDirty with the
 * SnapshotDirty's xmin/xmax), as unique checks need it.
 *
 * @param kind   whether the row counts as there
 * @param xid    for {@link Kind#BEING_INSERTED} the inserting xid, for {@link Kind#BEING_DELETED}
 *               the deleting one; else 0
 * @param values the row's values when it is not {@link Kind#GONE}; else null
 */
public record DirtyTuple(Kind kind, int xid, Object[] values) {
    public enum Kind {
        /** Dead, aborted, or never there: no conflict. */
        GONE,
        /** Committed and not deleted, or inserted by this transaction. */
        LIVE,
        /** Inserted by a transaction still running. */
        BEING_INSERTED,
        /** Committed, being deleted by a transaction still running. */
        BEING_DELETED
    }

    public static final DirtyTuple GONE = new DirtyTuple(Kind.GONE, 0, null);
}
