package org.osgres.checkpointer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The pacing arithmetic of checkpointer.c and xlog.c: CheckPointSegments, XLogCheckpointNeeded, IsCheckpointOnSchedule. */
class CheckpointScheduleTest {
    static final long SEG = CheckpointSchedule.WAL_SEGMENT_SIZE;
    static final long SECOND = 1_000_000_000L;

    @Test
    void checkPointSegmentsAsCalculateCheckpointSegments() {
        // PostgreSQL 15 defaults: max_wal_size 1GB, target 0.9 -> 64 / 1.9 = 33.68 -> 33
        assertEquals(33, CheckpointSchedule.checkPointSegments(1024, 0.9));
        assertEquals(64, CheckpointSchedule.checkPointSegments(1024, 0.0));
        assertEquals(1, CheckpointSchedule.checkPointSegments(32, 0.9), "never below one segment");
        assertEquals(1, CheckpointSchedule.checkPointSegments(2, 0.5));
        assertEquals(5, CheckpointSchedule.checkPointSegments(160, 0.9));
    }

    @Test
    void walTriggerAfterCheckPointSegmentsMinusOne() {
        // redo in segment 10, 33 segments per cycle: finishing segment 42 asks for a checkpoint
        assertFalse(CheckpointSchedule.checkpointNeeded(41, 10, 33));
        assertTrue(CheckpointSchedule.checkpointNeeded(42, 10, 33));
        assertTrue(CheckpointSchedule.checkpointNeeded(10, 10, 1), "one segment per cycle: every segment");
    }

    @Test
    void aheadOfBothClocksSleeps() {
        // timeout 30 s, target 0.9, 10 segments per cycle; started at t=0, redo 0
        CheckpointSchedule s = new CheckpointSchedule(0, 0, 0.9, 30, 10);
        // half the buffers written after 5 s and 1 segment: 0.45 of the cycle done, 0.17 of time passed
        assertTrue(s.isOnSchedule(0.5, 5 * SECOND, SEG));
    }

    @Test
    void behindTheTimeClockWritesOn() {
        CheckpointSchedule s = new CheckpointSchedule(0, 0, 0.9, 30, 10);
        // half done (0.45) but 20 s of 30 gone (0.67): behind
        assertFalse(s.isOnSchedule(0.5, 20 * SECOND, 0));
        // the elapsed fraction is remembered: a later check with more progress but not past it is behind too
        assertFalse(s.isOnSchedule(0.7, 20 * SECOND, 0), "0.63 < 0.67 cached");
        assertTrue(s.isOnSchedule(0.8, 20 * SECOND, 0), "0.72 > 0.67");
    }

    @Test
    void behindTheWalClockWritesOn() {
        CheckpointSchedule s = new CheckpointSchedule(0, 5 * SEG, 0.9, 300, 10);
        // 1 s of 300 passed, but 6 of 10 segments written since the redo point: 0.6 > 0.45
        assertFalse(s.isOnSchedule(0.5, SECOND, 11 * SEG));
        assertTrue(new CheckpointSchedule(0, 5 * SEG, 0.9, 300, 10).isOnSchedule(0.5, SECOND, 9 * SEG));
    }

    @Test
    void theWritePhaseEndsAtTheCompletionTarget() {
        // all buffers written (progress 1.0) counts as 0.9 of the cycle: on schedule until 27 s of 30
        CheckpointSchedule s = new CheckpointSchedule(0, 0, 0.9, 30, 10);
        assertTrue(s.isOnSchedule(1.0, 26 * SECOND, 0));
        assertFalse(new CheckpointSchedule(0, 0, 0.9, 30, 10).isOnSchedule(1.0, 28 * SECOND, 0));
    }
}
