package dev.ticker.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MarketFeedTest {

    @Test
    void publishesInRealTimeAndStopsCleanly() throws Exception {
        long start = System.currentTimeMillis();
        Market market = new Market(Universe.standard(30, 3), MarketConfig.defaults(3), start);
        LinkedBlockingQueue<Quote> received = new LinkedBlockingQueue<>();
        MarketFeed feed = new MarketFeed(market, received::add, TimeSource.SYSTEM);
        feed.start();
        try {
            Quote first = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(first, "a quote within 5 s");
            // The feed's clock is the monotonic clock from a wall-clock reading at start: both read
            // to the millisecond, and the wall clock may be slewed meanwhile, so the two may differ
            // by a few milliseconds either way without the feed publishing early.
            long now = System.currentTimeMillis();
            assertTrue(first.ts() <= now + 10, "never published before its time: " + first.ts() + " at " + now);
        } finally {
            feed.close();
        }
        assertFalse(feed.isRunning());
        long published = feed.published();
        Thread.sleep(200);
        assertEquals(published, feed.published(), "nothing published after close");
    }

    /**
     * The feed runs on the monotonic clock: a wall clock set an hour ahead does not publish an
     * hour of trades at once (about 430,000 here), and one set back does not stop it for an hour.
     */
    @Test
    void aWallClockJumpNeitherFloodsNorStopsTheFeed() throws Exception {
        JumpingClock clock = new JumpingClock();
        // 30 symbols at 4 trades a second each: about 120 a second.
        Market market = new Market(Universe.standard(30, 3), MarketConfig.defaults(3), clock.epochMillis());
        MarketFeed feed = new MarketFeed(market, quote -> { }, clock);
        feed.start();
        try {
            assertTradesPerSecondAbout120(feed, "before any jump");
            clock.jump(java.time.Duration.ofHours(1));
            assertTradesPerSecondAbout120(feed, "after the wall clock jumped an hour ahead");
            clock.jump(java.time.Duration.ofHours(-2));
            assertTradesPerSecondAbout120(feed, "after the wall clock jumped back two hours");
        } finally {
            feed.close();
        }
    }

    private static void assertTradesPerSecondAbout120(MarketFeed feed, String when) throws InterruptedException {
        long before = feed.published();
        Thread.sleep(1000);
        long trades = feed.published() - before;
        assertTrue(trades > 40 && trades < 400, when + ": " + trades + " trades in a second");
    }

    @Test
    void aThrowingListenerDoesNotStopTheFeed() throws Exception {
        Market market = new Market(Universe.standard(30, 3), MarketConfig.defaults(3), System.currentTimeMillis());
        LinkedBlockingQueue<Quote> received = new LinkedBlockingQueue<>();
        MarketFeed feed = new MarketFeed(market, quote -> {
            received.add(quote);
            throw new IllegalStateException("listener bug");
        }, TimeSource.SYSTEM);
        feed.start();
        try {
            for (int i = 0; i < 5; i++) {
                assertNotNull(received.poll(5, TimeUnit.SECONDS));
            }
            assertTrue(feed.isRunning());
        } finally {
            feed.close();
        }
    }
}
