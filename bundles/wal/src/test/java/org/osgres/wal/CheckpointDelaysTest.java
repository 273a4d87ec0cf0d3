package org.osgres.wal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgres.api.wal.WalInsert.CheckpointDelay;

/** DELAY_CHKPT_START: startCheckpoint waits for the commits in flight before it, not for later ones. */
class CheckpointDelaysTest {
    @TempDir
    Path dir;

    @Test
    void aCheckpointWaitsForEarlierCommitsOnly() throws Exception {
        WalTests.Started s = WalTests.start(WalTests.settings(dir));
        Xlog xlog = s.xlog();
        CheckpointDelay inFlight = xlog.delayCheckpointStart();
        CompletableFuture<Long> checkpoint = CompletableFuture.supplyAsync(xlog::startCheckpoint);
        try {
            checkpoint.get(200, TimeUnit.MILLISECONDS);
            throw new AssertionError("the checkpoint did not wait for the commit in flight");
        } catch (TimeoutException expected) {
            // still waiting
        }
        CheckpointDelay later = xlog.delayCheckpointStart(); // after the redo pointer moved: not waited for
        assertFalse(checkpoint.isDone());
        inFlight.close();
        long redo = checkpoint.get(10, TimeUnit.SECONDS);
        assertEquals(xlog.redoPointer(), redo);
        later.close();
        later.close(); // twice does nothing more
        assertTrue(xlog.startCheckpoint() >= redo, "no delay left: a checkpoint goes straight on");
    }
}
