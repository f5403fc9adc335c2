package dev.ticker.stream;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the server has seen of its pings' answers, over all connections: the evidence
 * {@link Liveness#timedOut} weighs a missing pong against. Thread-safe: pongs are read on the
 * container's threads, the flush thread asks.
 *
 * <ul>
 *   <li>{@link #readUpTo}: the latest write time of any ping whose pong has been read. A pong
 *       missing for a ping written before that is not just waiting its turn to be read.</li>
 *   <li>{@link #lag}: the longest round trip (ping written to pong read) of the pongs read over
 *       the last one to two windows. When the server, or the clients' side of the network, is
 *       slow for everybody (a reconnect storm: round trips of 10 to 30 s were measured at 19,000
 *       clients on 2 cores), healthy clients answer that late, and a client is given as long.</li>
 * </ul>
 */
final class PongClock {

    private final long windowMillis;
    private final AtomicLong readUpTo = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong currentMax = new AtomicLong();
    private volatile long previousMax;
    private volatile long windowStart;

    /** {@code windowMillis}: how long a slow round trip keeps counting (one to two windows). */
    PongClock(long windowMillis, long now) {
        this.windowMillis = windowMillis;
        this.windowStart = now;
    }

    /** The pong to a ping written at {@code sentAt} was read at {@code now}. */
    void read(long sentAt, long now) {
        readUpTo.accumulateAndGet(sentAt, Math::max);
        currentMax.accumulateAndGet(Math.max(0, now - sentAt), Math::max);
    }

    long readUpTo() {
        return readUpTo.get();
    }

    /** The longest recent round trip. Called by one thread (the flush), which also turns the windows. */
    long lag(long now) {
        if (now - windowStart >= windowMillis) {
            previousMax = currentMax.getAndSet(0);
            windowStart = now;
        }
        return Math.max(previousMax, currentMax.get());
    }
}
