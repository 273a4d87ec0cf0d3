package org.osgres.checkpointer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.osgres.api.checkpoint.CheckpointRequest;

/** log_checkpoints' lines in PostgreSQL 15's words (LogCheckpointStart, LogCheckpointEnd). */
class CheckpointLogTest {
    @Test
    void startingLinesNameTheFlagsInPostgresOrder() {
        assertEquals("checkpoint starting: immediate force wait", CheckpointLog.starting(
                CheckpointRequest.CHECKPOINT_WAIT | CheckpointRequest.CHECKPOINT_FORCE
                        | CheckpointRequest.CHECKPOINT_IMMEDIATE));
        assertEquals("checkpoint starting: shutdown immediate", CheckpointLog.starting(
                CheckpointRequest.CHECKPOINT_IS_SHUTDOWN | CheckpointRequest.CHECKPOINT_IMMEDIATE));
        assertEquals("checkpoint starting: time", CheckpointLog.starting(CheckpointRequest.CHECKPOINT_CAUSE_TIME));
        assertEquals("checkpoint starting: wal", CheckpointLog.starting(CheckpointRequest.CHECKPOINT_CAUSE_XLOG));
        assertEquals("checkpoint starting: end-of-recovery immediate wait", CheckpointLog.starting(
                CheckpointRequest.CHECKPOINT_END_OF_RECOVERY | CheckpointRequest.CHECKPOINT_IMMEDIATE
                        | CheckpointRequest.CHECKPOINT_WAIT));
    }

    @Test
    void completeLineAsPostgres() {
        // the reference server's line: "checkpoint complete: wrote 41 buffers (0.3%); 0 WAL file(s) added,
        // 0 removed, 0 recycled; write=0.022 s, sync=0.074 s, total=0.132 s; sync files=41,
        // longest=0.011 s, average=0.002 s; distance=225 kB, estimate=4218 kB" (16384 buffers)
        String line = CheckpointLog.complete(new CheckpointLog.Stats(41, 16384, 0, 0, 0, 22, 74, 132, 41,
                10_500_000, 41 * 1_700_000L, 225 * 1024 + 300, 4218 * 1024 + 1000));
        assertEquals("checkpoint complete: wrote 41 buffers (0.3%); 0 WAL file(s) added, 0 removed, 0 recycled; "
                + "write=0.022 s, sync=0.074 s, total=0.132 s; sync files=41, longest=0.011 s, average=0.002 s; "
                + "distance=225 kB, estimate=4218 kB", line);
    }

    @Test
    void durationsRoundUpToWholeMilliseconds() {
        assertEquals(0, CheckpointLog.millis(0));
        assertEquals(1, CheckpointLog.millis(1_000), "one microsecond is a millisecond");
        assertEquals(1, CheckpointLog.millis(1_000_000));
        assertEquals(2, CheckpointLog.millis(1_000_001_0 / 10 + 1_000));
        String line = CheckpointLog.complete(new CheckpointLog.Stats(0, 128, 0, 2, 3, 1234, 0, 61_001, 0, 0, 0, 0, 0));
        assertEquals("checkpoint complete: wrote 0 buffers (0.0%); 0 WAL file(s) added, 2 removed, 3 recycled; "
                + "write=1.234 s, sync=0.000 s, total=61.001 s; sync files=0, longest=0.000 s, average=0.000 s; "
                + "distance=0 kB, estimate=0 kB", line);
    }
}
