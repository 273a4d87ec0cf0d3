/*
 * BgBufferSync: one round of the background writer's LRU scan (PostgreSQL: BgBufferSync in
 * storage/buffer/bufmgr.c).
 *
 * The clock sweep hands out victims; the background writer tries to stay ahead of the hand and
 * write dirty buffers that are about to be chosen (unpinned, usage count 0), so backends find
 * clean victims and need not write. Each round it estimates the allocations of the next round
 * -- a moving average of recent ones (jumping up at once, decaying over 16 rounds) times
 * bgwriter_lru_multiplier, and at least enough to scan the whole pool in two minutes -- and
 * scans ahead of the hand until that many reusable buffers are found, writing at most
 * bgwriter_lru_maxpages (hitting that limit counts maxwritten_clean). Where it stopped is
 * remembered; a hand that passed it restarts the scan from the hand. The density estimate
 * (buffers scanned per reusable buffer found) is kept as PostgreSQL keeps it.
 *
 * Entry points: round().
 * See also: BackgroundWriter -- the worker; BufferManager.syncOneBuffer / clockPosition.
 */
package org.osgres.checkpointer;

import org.osgres.api.buffer.BufferManager;

final class BgBufferSync {
    /** scan_whole_pool_milliseconds: at least a full lap every two minutes. */
    static final double SCAN_WHOLE_POOL_MILLIS = 120_000.0;
    /** smoothing_samples of the moving averages. */
    static final float SMOOTHING_SAMPLES = 16;

    /** What the buffer pool offers (BufferManager's clockPosition and syncOneBuffer), so tests can fake it. */
    interface Pool {
        int bufferCount();

        BufferManager.ClockPosition clockPosition();

        /** SyncOneBuffer(buf, true) on a 0-based buffer index. */
        int syncOneBuffer(int index);
    }

    /** One round's outcome: buffers written, whether the maxpages limit stopped it, whether it may hibernate. */
    record Round(int written, boolean hitMaxPages, boolean canHibernate) {
    }

    private final Pool pool;
    private boolean savedInfoValid;
    private int prevStrategyBufId;
    private long prevStrategyPasses;
    private long prevAllocations = -1;
    private int nextToClean;
    private long nextPasses;
    private float smoothedAlloc;
    private float smoothedDensity = 10.0f;

    BgBufferSync(Pool pool) {
        this.pool = pool;
    }

    /** The next buffer the scan looks at (0-based), for tests. */
    int nextToClean() {
        return nextToClean;
    }

    Round round(int lruMaxPages, double lruMultiplier, int bgWriterDelayMillis) {
        int nBuffers = pool.bufferCount();
        BufferManager.ClockPosition pos = pool.clockPosition();
        int strategyBufId = pos.nextVictimBuffer() - 1;
        long strategyPasses = pos.completePasses();
        long recentAlloc = prevAllocations < 0 ? 0 : pos.allocations() - prevAllocations;
        prevAllocations = pos.allocations();

        if (lruMaxPages <= 0) {
            savedInfoValid = false;
            return new Round(0, false, true);
        }
        long strategyDelta;
        int bufsToLap;
        if (savedInfoValid) {
            long passesDelta = strategyPasses - prevStrategyPasses;
            strategyDelta = strategyBufId - prevStrategyBufId + passesDelta * nBuffers;
            if (nextPasses - strategyPasses > 0) {
                bufsToLap = strategyBufId - nextToClean; // a lap ahead of the hand
            } else if (nextPasses == strategyPasses && nextToClean >= strategyBufId) {
                bufsToLap = nBuffers - (nextToClean - strategyBufId); // ahead on the same lap
            } else {
                nextToClean = strategyBufId; // behind: start again at the hand
                nextPasses = strategyPasses;
                bufsToLap = nBuffers;
            }
        } else {
            strategyDelta = 0;
            nextToClean = strategyBufId;
            nextPasses = strategyPasses;
            bufsToLap = nBuffers;
        }
        prevStrategyBufId = strategyBufId;
        prevStrategyPasses = strategyPasses;
        savedInfoValid = true;

        if (strategyDelta > 0 && recentAlloc > 0) {
            float scansPerAlloc = (float) strategyDelta / (float) recentAlloc;
            smoothedDensity += (scansPerAlloc - smoothedDensity) / SMOOTHING_SAMPLES;
        }
        int bufsAhead = nBuffers - bufsToLap;
        float reusableBuffersEst = bufsAhead / smoothedDensity;

        if (smoothedAlloc <= recentAlloc) {
            smoothedAlloc = recentAlloc;
        } else {
            smoothedAlloc += (recentAlloc - smoothedAlloc) / SMOOTHING_SAMPLES;
        }
        int upcomingAllocEst = (int) (smoothedAlloc * lruMultiplier);
        if (upcomingAllocEst == 0) {
            smoothedAlloc = 0;
        }
        int minScanBuffers = (int) (nBuffers / (SCAN_WHOLE_POOL_MILLIS / bgWriterDelayMillis));
        if (upcomingAllocEst < minScanBuffers + reusableBuffersEst) {
            upcomingAllocEst = (int) (minScanBuffers + reusableBuffersEst);
        }

        int numToScan = bufsToLap;
        int numWritten = 0;
        int reusableBuffers = (int) reusableBuffersEst;
        boolean hitMax = false;
        while (numToScan > 0 && reusableBuffers < upcomingAllocEst) {
            int state = pool.syncOneBuffer(nextToClean);
            if (++nextToClean >= nBuffers) {
                nextToClean = 0;
                nextPasses++;
            }
            numToScan--;
            if ((state & BufferManager.BUF_WRITTEN) != 0) {
                reusableBuffers++;
                if (++numWritten >= lruMaxPages) {
                    hitMax = true;
                    break;
                }
            } else if ((state & BufferManager.BUF_REUSABLE) != 0) {
                reusableBuffers++;
            }
        }
        int newStrategyDelta = bufsToLap - numToScan;
        int newRecentAlloc = reusableBuffers - (int) reusableBuffersEst;
        if (newStrategyDelta > 0 && newRecentAlloc > 0) {
            float scansPerAlloc = (float) newStrategyDelta / (float) newRecentAlloc;
            smoothedDensity += (scansPerAlloc - smoothedDensity) / SMOOTHING_SAMPLES;
        }
        return new Round(numWritten, hitMax, bufsToLap == 0 && recentAlloc == 0);
    }
}
