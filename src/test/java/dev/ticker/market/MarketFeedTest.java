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
        MarketFeed feed = new MarketFeed(market, received::add, System::currentTimeMillis);
        feed.start();
        try {
            Quote first = received.poll(5, TimeUnit.SECONDS);
            assertNotNull(first, "a quote within 5 s");
            assertTrue(first.ts() <= System.currentTimeMillis(), "never published before its time");
        } finally {
            feed.close();
        }
        assertFalse(feed.isRunning());
        long published = feed.published();
        Thread.sleep(200);
        assertEquals(published, feed.published(), "nothing published after close");
    }

    @Test
    void aThrowingListenerDoesNotStopTheFeed() throws Exception {
        Market market = new Market(Universe.standard(30, 3), MarketConfig.defaults(3), System.currentTimeMillis());
        LinkedBlockingQueue<Quote> received = new LinkedBlockingQueue<>();
        MarketFeed feed = new MarketFeed(market, quote -> {
            received.add(quote);
            throw new IllegalStateException("listener bug");
        }, System::currentTimeMillis);
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
