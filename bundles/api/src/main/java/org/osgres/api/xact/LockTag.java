package org.osgres.api.xact;

/**
 * What a heavyweight lock locks (PostgreSQL: LOCKTAG, storage/lock.h), for the kinds rows need: a
 * relation, a tuple, a transaction. Oids, block numbers and xids are unsigned, held in ints.
 */
public record LockTag(Kind kind, int dbOid, int relOid, int block, int offset, int xid) {
    /** LockTagType, the kinds osgres uses. */
    public enum Kind {
        /** LOCKTAG_RELATION. */
        RELATION,
        /** LOCKTAG_TUPLE. */
        TUPLE,
        /** LOCKTAG_TRANSACTION. */
        TRANSACTION,
        /**
         * LOCKTAG_OBJECT: a catalog object (class oid in relOid, object id in block, sub-id in
         * offset). @since 1.2
         */
        OBJECT
    }

    /** SET_LOCKTAG_RELATION. */
    public static LockTag relation(int dbOid, int relOid) {
        return new LockTag(Kind.RELATION, dbOid, relOid, 0, 0, 0);
    }

    /** SET_LOCKTAG_TUPLE. */
    public static LockTag tuple(int dbOid, int relOid, int block, int offset) {
        return new LockTag(Kind.TUPLE, dbOid, relOid, block, offset, 0);
    }

    /** SET_LOCKTAG_TRANSACTION. */
    public static LockTag transaction(int xid) {
        return new LockTag(Kind.TRANSACTION, 0, 0, 0, 0, xid);
    }

    /**
     * SET_LOCKTAG_OBJECT: a non-relation catalog object, by the oid of its catalog, its own id
     * and a sub-id (osgres also locks a name about to be taken this way).
     *
     * @since 1.2
     */
    public static LockTag object(int dbOid, int classOid, int objOid, int objSubId) {
        return new LockTag(Kind.OBJECT, dbOid, classOid, objOid, objSubId, 0);
    }

    /** The words PostgreSQL's messages use for it (lmgr.c DescribeLockTag). */
    public String describe() {
        return switch (kind) {
            case RELATION -> "relation " + u(relOid) + " of database " + u(dbOid);
            case TUPLE -> "tuple (" + u(block) + "," + offset + ") of relation " + u(relOid) + " of database " + u(dbOid);
            case TRANSACTION -> "transaction " + u(xid);
            case OBJECT -> "object " + u(block) + " of class " + u(relOid) + " of database " + u(dbOid);
        };
    }

    private static String u(int v) {
        return Integer.toUnsignedString(v);
    }

    /** pg_stat_activity's wait_event for a wait on this lock (PostgreSQL: LockTagTypeNames). @since 1.1 */
    public String waitEventName() {
        return switch (kind) {
            case RELATION -> "relation";
            case TUPLE -> "tuple";
            case TRANSACTION -> "transactionid";
            case OBJECT -> "object";
        };
    }
}
