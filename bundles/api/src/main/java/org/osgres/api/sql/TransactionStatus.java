package org.osgres.api.sql;

/** The transaction state ReadyForQuery reports. */
public enum TransactionStatus {
    /** Not in a transaction block ('I'). */
    IDLE('I'),
    /** In a transaction block ('T'). */
    IN_BLOCK('T'),
    /** In a failed transaction block: only ROLLBACK is accepted ('E'). */
    FAILED('E');

    private final char indicator;

    TransactionStatus(char indicator) {
        this.indicator = indicator;
    }

    /** The byte sent in ReadyForQuery. */
    public char indicator() {
        return indicator;
    }
}
