package org.osgres.api.heap;

/**
 * What VACUUM did to a relation (PostgreSQL: LVRelState's counters, as VACUUM VERBOSE reports
 * them).
 *
 * @param pagesScanned    pages looked at
 * @param tuplesRemoved   dead tuples removed
 * @param tuplesRemaining live and recently dead tuples left
 * @param recentlyDead    tuples deleted but still visible to some snapshot
 * @param pagesTruncated  empty pages cut from the end of the relation
 * @param freeSpace       free bytes on the remaining pages after compaction (PageGetHeapFreeSpace summed)
 */
public record VacuumResult(long pagesScanned, long tuplesRemoved, long tuplesRemaining, long recentlyDead,
        long pagesTruncated, long freeSpace) {
}
