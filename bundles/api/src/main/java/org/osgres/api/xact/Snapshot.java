package org.osgres.api.xact;

import java.util.Arrays;

/**
 * An MVCC snapshot (PostgreSQL: SnapshotData of type SNAPSHOT_MVCC, utils/snapshot.h): which
 * transactions' work a statement sees. Every xid below {@code xmin} had ended when it was taken;
 * every xid at or above {@code xmax} had not started; in between, the xids in {@code xip} were
 * running. {@code curcid} is the command id below which the own transaction's changes are seen.
 */
public final class Snapshot {
    private final int xmin;
    private final int xmax;
    private final int[] xip;
    private final int curcid;

    /**
     * @param xip the running xids, in any order; the array is copied
     */
    public Snapshot(int xmin, int xmax, int[] xip, int curcid) {
        this.xmin = xmin;
        this.xmax = xmax;
        this.xip = xip.clone();
        Arrays.sort(this.xip);
        this.curcid = curcid;
    }

    /** The oldest xid still running when taken: all older ones had ended. */
    public int xmin() {
        return xmin;
    }

    /** The first xid not yet assigned when taken: it and newer ones are not seen. */
    public int xmax() {
        return xmax;
    }

    /** The xids running when taken (a copy, sorted unsigned order is not promised). */
    public int[] xip() {
        return xip.clone();
    }

    /** The command id: the own transaction's changes made by earlier commands are seen. */
    public int curcid() {
        return curcid;
    }

    /** The same snapshot for another command of the same transaction (UpdateActiveSnapshotCommandId). */
    public Snapshot withCommandId(int cid) {
        return cid == curcid ? this : new Snapshot(xmin, xmax, xip, cid);
    }

    /**
     * Whether the xid's work is invisible because it had not ended when the snapshot was taken
     * (PostgreSQL: XidInMVCCSnapshot). Xids at or above xmax count as running.
     */
    public boolean isRunning(int xid) {
        if (TransactionIds.precedes(xid, xmin)) {
            return false;
        }
        if (TransactionIds.followsOrEquals(xid, xmax)) {
            return true;
        }
        return Arrays.binarySearch(xip, xid) >= 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(Integer.toUnsignedString(xmin)).append(':').append(Integer.toUnsignedString(xmax)).append(':');
        for (int i = 0; i < xip.length; i++) {
            sb.append(i == 0 ? "" : ",").append(Integer.toUnsignedString(xip[i]));
        }
        return sb.toString();
    }
}
