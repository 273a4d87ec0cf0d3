package org.osgres.api.xact;

/**
 * Heavyweight lock modes (PostgreSQL: storage/lockdefs.h) with PostgreSQL's conflict table
 * (lock.c LockConflicts) and names as pg_locks and error messages print them.
 */
public enum LockMode {
    ACCESS_SHARE("AccessShareLock"),
    ROW_SHARE("RowShareLock"),
    ROW_EXCLUSIVE("RowExclusiveLock"),
    SHARE_UPDATE_EXCLUSIVE("ShareUpdateExclusiveLock"),
    SHARE("ShareLock"),
    SHARE_ROW_EXCLUSIVE("ShareRowExclusiveLock"),
    EXCLUSIVE("ExclusiveLock"),
    ACCESS_EXCLUSIVE("AccessExclusiveLock");

    /** LockConflicts[], as bit masks over ordinal(). */
    private static final int[] CONFLICTS = {
        bit(7),                                   // AccessShare
        bits(6, 7),                               // RowShare
        bits(4, 5, 6, 7),                         // RowExclusive
        bits(3, 4, 5, 6, 7),                      // ShareUpdateExclusive
        bits(2, 3, 5, 6, 7),                      // Share
        bits(2, 3, 4, 5, 6, 7),                   // ShareRowExclusive
        bits(1, 2, 3, 4, 5, 6, 7),                // Exclusive
        bits(0, 1, 2, 3, 4, 5, 6, 7),             // AccessExclusive
    };

    private final String displayName;

    LockMode(String displayName) {
        this.displayName = displayName;
    }

    /** The name PostgreSQL prints ("ShareLock"). */
    public String displayName() {
        return displayName;
    }

    /** Whether a lock held in this mode blocks one asked for in {@code other}. */
    public boolean conflictsWith(LockMode other) {
        return (CONFLICTS[ordinal()] & bit(other.ordinal())) != 0;
    }

    /** The modes this one conflicts with, as a mask of (1 &lt;&lt; ordinal). */
    public int conflictMask() {
        return CONFLICTS[ordinal()];
    }

    /** This mode as a mask bit (1 &lt;&lt; ordinal). */
    public int mask() {
        return bit(ordinal());
    }

    private static int bit(int i) {
        return 1 << i;
    }

    private static int bits(int... is) {
        int m = 0;
        for (int i : is) {
            m |= bit(i);
        }
        return m;
    }
}
