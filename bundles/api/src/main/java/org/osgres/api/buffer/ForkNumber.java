package org.osgres.api.buffer;

/**
 * The forks of a relation (PostgreSQL: common/relpath.h ForkNumber), each its own chain of files
 * with the suffix PostgreSQL gives it.
 */
public enum ForkNumber {
    /** The data itself: {@code 16384}. */
    MAIN(""),
    /** The free space map: {@code 16384_fsm}. */
    FSM("_fsm"),
    /** The visibility map: {@code 16384_vm}. */
    VISIBILITYMAP("_vm"),
    /** The init fork of an unlogged relation: {@code 16384_init}. */
    INIT("_init");

    private final String suffix;

    ForkNumber(String suffix) {
        this.suffix = suffix;
    }

    /** The file name suffix (PostgreSQL: forkNames[] with a leading underscore). */
    public String suffix() {
        return suffix;
    }
}
