package org.osgres.heap;

import java.util.function.BooleanSupplier;

/** Polls a condition with a deadline (no bare sleeps in tests). */
final class Waits {
    private Waits() {
    }

    static void until(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(2);
        }
    }
}
