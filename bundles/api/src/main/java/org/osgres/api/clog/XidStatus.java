package org.osgres.api.clog;

/**
 * A transaction's status in the commit log (PostgreSQL: XidStatus, the two bits per xid of
 * clog.h), with the bit values PostgreSQL stores in pg_xact.
 */
public enum XidStatus {
    /** TRANSACTION_STATUS_IN_PROGRESS (0): running, or never started, or crashed before commit. */
    IN_PROGRESS(0x00),
    /** TRANSACTION_STATUS_COMMITTED (1). */
    COMMITTED(0x01),
    /** TRANSACTION_STATUS_ABORTED (2). */
    ABORTED(0x02),
    /** TRANSACTION_STATUS_SUB_COMMITTED (3): a subtransaction whose parent is committing. */
    SUB_COMMITTED(0x03);

    private static final XidStatus[] BY_BITS = {IN_PROGRESS, COMMITTED, ABORTED, SUB_COMMITTED};

    private final int bits;

    XidStatus(int bits) {
        this.bits = bits;
    }

    /** The two bits stored in pg_xact. */
    public int bits() {
        return bits;
    }

    /** The status two pg_xact bits mean. */
    public static XidStatus ofBits(int bits) {
        return BY_BITS[bits & 0x03];
    }
}
