package dev.ticker.market;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Replays a {@link Market} in real time on one thread of its own: every trade is handed to the
 * listener when the market's clock reaches its time. The market's clock reads the wall clock once,
 * when the feed starts, and runs on the monotonic clock from then on: a wall clock set an hour
 * ahead would otherwise flood an hour of trades at once, and one set back would stop the feed.
 * The listener runs on the feed thread, so it must be quick; it never waits for clients.
 */
public final class MarketFeed implements QuoteSource {

    private static final Logger LOG = Logger.getLogger(MarketFeed.class.getName());
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Market market;
    private final Consumer<Quote> listener;
    private final TimeSource time;
    private long epochAtStart;         // the market's clock: these two, read at start ...
    private long monotonicAtStart;     // ... then the monotonic clock's progress
    private final AtomicLong published = new AtomicLong();
    private final Thread thread;
    private volatile boolean running;

    /** A feed of {@code market} to {@code listener}, timed by {@code time}. */
    public MarketFeed(Market market, Consumer<Quote> listener, TimeSource time) {
        this.market = market;
        this.listener = listener;
        this.time = time;
        this.thread = new Thread(this::run, "ticker-feed");
        this.thread.setDaemon(true);
    }

    @Override
    public void start() {
        epochAtStart = time.epochMillis();
        monotonicAtStart = time.monotonicMillis();
        running = true;
        thread.start();
    }

    @Override
    public MarketConfig market() {
        return market.config();
    }

    /** Trades handed to the listener so far. */
    @Override
    public long published() {
        return published.get();
    }

    @Override
    public boolean isRunning() {
        return running && thread.isAlive();
    }

    @Override
    public boolean threadsAlive() {
        return !running || thread.isAlive();
    }

    /** Stops the feed thread and waits for it to end. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warning("ticker-feed did not stop within 5 s");
        }
    }

    /** Epoch milliseconds on the market's clock. */
    private long marketNow() {
        return epochAtStart + (time.monotonicMillis() - monotonicAtStart);
    }

    private void run() {
        while (running) {
            long now = marketNow();
            while (running && market.nextMillis() <= now) {
                Quote quote = market.next();
                published.incrementAndGet();
                try {
                    listener.accept(quote);
                } catch (RuntimeException e) {
                    // One bad delivery must not end the feed for everyone.
                    LOG.log(Level.WARNING, "tick listener failed on " + quote.symbol(), e);
                }
            }
            long waitMillis = market.nextMillis() - marketNow();
            if (waitMillis > 0) {
                LockSupport.parkNanos(Math.min(MAX_PARK_NANOS, TimeUnit.MILLISECONDS.toNanos(waitMillis)));
            }
            if (Thread.interrupted() && !running) {
                return;
            }
        }
    }
}
