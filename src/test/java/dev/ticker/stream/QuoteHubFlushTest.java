package dev.ticker.stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ticker.market.TimeSource;
import dev.ticker.market.Universe;
import dev.ticker.stream.protocol.Event;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The flush schedule survives whatever one flush throws, and a stalled flush is visible (/health reads it). */
class QuoteHubFlushTest {

    private QuoteHub hub;

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.shutdown(1000);
        }
    }

    /** A hub flushing every 50 ms whose flushes report to {@code metrics}, with no connections. */
    private QuoteHub start(StreamMetrics metrics) {
        QuoteBoard board = new QuoteBoard(Universe.standard(5, 1));
        StreamConfig config = new StreamConfig(50, 10_000, 200, 4096, 20, 10_000, false, 20, 30_000, 30_000, 10_000, 100, 10);
        hub = new QuoteHub(board, config, TimeSource.SYSTEM, metrics);
        hub.start();
        return hub;
    }

    @Test
    void anErrorInAFlushIsLoggedAndTheScheduleGoesOn() throws Exception {
        AtomicInteger flushes = new AtomicInteger();
        start(new Flushes() {
            @Override public void flushed(long conflated, long busy, long visited) {
                if (flushes.incrementAndGet() <= 2) {
                    // An Error, not an exception: scheduleAtFixedRate would end the schedule on it.
                    throw new StackOverflowError("a flush that blows up");
                }
            }
        });
        Thread.sleep(1000);
        assertTrue(flushes.get() >= 10, "flushes after two failed: " + flushes.get());
        assertTrue(hub.flushing());
    }

    @Test
    void aFlushThatStallsIsReportedAndItsRecoveryToo() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger flushes = new AtomicInteger();
        start(new Flushes() {
            @Override public void flushed(long conflated, long busy, long visited) {
                if (flushes.incrementAndGet() == 3) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        });
        Thread.sleep(500);
        assertTrue(hub.flushing(), "flushing before the stall");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (hub.flushing() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(hub.flushing(), "a flush stuck for " + hub.millisSinceFlush() + " ms is a stall");
        assertTrue(hub.millisSinceFlush() >= hub.flushStalledAfterMillis());
        release.countDown();
        deadline = System.nanoTime() + 2_000_000_000L;
        while (!hub.flushing() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(hub.flushing(), "flushing again once the stuck flush returned");
    }

    /** Metrics that only care about flushes. */
    private abstract static class Flushes implements StreamMetrics {
        @Override public void frameSent(Event event) { }
        @Override public void sendCompleted(long nanos, boolean ok) { }
        @Override public void pongRead(long roundTripMillis) { }
    }
}
