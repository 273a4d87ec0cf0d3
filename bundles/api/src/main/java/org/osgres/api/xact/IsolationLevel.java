package org.osgres.api.xact;

/**
 * Transaction isolation levels (PostgreSQL: XactIsoLevel). READ UNCOMMITTED behaves as READ
 * COMMITTED, as in PostgreSQL; SERIALIZABLE (SSI) is not there yet and runs as REPEATABLE READ.
 */
public enum IsolationLevel {
    /** XACT_READ_COMMITTED: a new snapshot for every statement; a blocked update re-checks the newest row version. */
    READ_COMMITTED("read committed"),
    /** XACT_REPEATABLE_READ: one snapshot for the whole transaction; a concurrent update fails with 40001. */
    REPEATABLE_READ("repeatable read");

    private final String label;

    IsolationLevel(String label) {
        this.label = label;
    }

    /** The spelling of SHOW transaction_isolation. */
    public String label() {
        return label;
    }

    /** PostgreSQL: IsolationUsesXactSnapshot(). */
    public boolean usesTransactionSnapshot() {
        return this == REPEATABLE_READ;
    }
}
