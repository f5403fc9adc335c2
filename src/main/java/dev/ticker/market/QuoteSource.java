package dev.ticker.market;

/**
 * Where a node's quotes come from: its own {@link MarketFeed}, or, in cluster mode, the shared
 * log of trades. The composition root picks one; the rest of the app only sees what it publishes.
 */
public interface QuoteSource extends AutoCloseable {

    /** Starts the source's threads. */
    void start();

    /** Whether quotes are flowing: false once stopped, or while the source cannot deliver. */
    boolean isRunning();

    /**
     * False only when a thread of the source ended on its own, which nothing but a restart mends
     * (a source that waits for its broker is alive; one that was stopped on purpose is too).
     */
    boolean threadsAlive();

    /** Trades delivered so far. */
    long published();

    /** The market whose quotes it delivers. */
    MarketConfig market();

    /** Its part in a cluster. */
    default SourceStatus status() {
        return SourceStatus.STANDALONE;
    }

    /** Stops every thread the source started and waits for them. */
    @Override
    void close();
}
