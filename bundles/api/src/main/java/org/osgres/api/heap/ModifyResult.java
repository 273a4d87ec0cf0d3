package org.osgres.api.heap;

/**
 * What heap update, delete and lock did (PostgreSQL: TM_Result with TM_FailureData).
 *
 * @param result what happened
 * @param tid    for an update that succeeded, the new version's address; else the tuple's
 * @param latest for {@link TmResult#UPDATED} under READ COMMITTED: the newest version of the
 *               row, locked for this transaction, for the caller to re-check its qual and, if it
 *               still passes, to change instead (EvalPlanQual); else null
 */
public record ModifyResult(TmResult result, ItemPointer tid, HeapTuple latest) {
    public boolean ok() {
        return result == TmResult.OK;
    }
}
