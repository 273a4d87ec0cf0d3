package org.osgres.api.xact;

/**
 * Transaction id arithmetic (PostgreSQL: access/transam.h, transam.c). Xids are unsigned 32-bit
 * numbers held in ints; normal xids compare modulo 2^32, so each sees 2^31 xids as its past and
 * 2^31 as its future.
 */
public final class TransactionIds {
    /** InvalidTransactionId. */
    public static final int INVALID = 0;
    /** BootstrapTransactionId: rows made by initdb; always committed. */
    public static final int BOOTSTRAP = 1;
    /** FrozenTransactionId: rows older than every snapshot; always committed. */
    public static final int FROZEN = 2;
    /** FirstNormalTransactionId. */
    public static final int FIRST_NORMAL = 3;
    /** InvalidCommandId. */
    public static final int INVALID_COMMAND_ID = -1;
    /** FirstCommandId. */
    public static final int FIRST_COMMAND_ID = 0;

    private TransactionIds() {
    }

    /** TransactionIdIsValid. */
    public static boolean isValid(int xid) {
        return xid != INVALID;
    }

    /** TransactionIdIsNormal. */
    public static boolean isNormal(int xid) {
        return Integer.compareUnsigned(xid, FIRST_NORMAL) >= 0;
    }

    /** TransactionIdPrecedes: id1 &lt; id2, modulo 2^32 when both are normal. */
    public static boolean precedes(int id1, int id2) {
        if (!isNormal(id1) || !isNormal(id2)) {
            return Integer.compareUnsigned(id1, id2) < 0;
        }
        return id1 - id2 < 0;
    }

    /** TransactionIdPrecedesOrEquals. */
    public static boolean precedesOrEquals(int id1, int id2) {
        return id1 == id2 || precedes(id1, id2);
    }

    /** TransactionIdFollows. */
    public static boolean follows(int id1, int id2) {
        return precedes(id2, id1);
    }

    /** TransactionIdFollowsOrEquals. */
    public static boolean followsOrEquals(int id1, int id2) {
        return id1 == id2 || precedes(id2, id1);
    }

    /** TransactionIdAdvance: the next xid, skipping the special ones at wraparound. */
    public static int advance(int xid) {
        int next = xid + 1;
        return isNormal(next) ? next : FIRST_NORMAL;
    }

    /** The older of two xids, an invalid one counting as the newest. */
    public static int older(int a, int b) {
        if (!isValid(a)) {
            return b;
        }
        if (!isValid(b)) {
            return a;
        }
        return precedes(a, b) ? a : b;
    }

    /** The xid as PostgreSQL prints it (%u). */
    public static String toString(int xid) {
        return Integer.toUnsignedString(xid);
    }
}
