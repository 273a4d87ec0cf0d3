package org.osgres.transam;

/** VarSup's constants for tests. */
final class VarSupAccess {
    static final int PREFETCH = VarSup.XID_PREFETCH;

    private VarSupAccess() {
    }
}
