package org.osgres.e2e;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting on a condition with a deadline: polls, never sleeps blindly. */
final class Wait {
    private Wait() {}

    static boolean until(Duration deadline, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        long pause = 5;
        while (true) {
            if (condition.getAsBoolean()) return true;
            if (System.nanoTime() - end > 0) return false;
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 100);
        }
    }
}
