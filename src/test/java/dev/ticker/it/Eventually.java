package dev.ticker.it;

import java.time.Duration;

/** Polls a condition the server reaches on its own time (a dropped connection noticed at its next write). */
final class Eventually {

    private Eventually() {
    }

    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    /** Whether {@code check} held within {@code timeout}, tried every 200 ms. */
    static boolean within(Duration timeout, Condition check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (check.holds()) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }
}
