package org.osgres.postmaster;

/** The pg_type OIDs the postmaster's system views use (PostgreSQL: catalog/pg_type.dat). */
final class Oids {
    static final int NAME = 19;
    static final int INT8 = 20;
    static final int INT4 = 23;
    static final int TEXT = 25;
    static final int OID = 26;
    static final int XID = 28;
    static final int FLOAT8 = 701;
    static final int INET = 869;
    static final int TIMESTAMPTZ = 1184;

    private Oids() {
    }
}
