package dev.ticker.stream;

/**
 * When a connection is due a ping, and whether its pong is overdue. Not thread-safe: the owning
 * {@link Connection} calls it under its lock.
 *
 * <p>A ping's life: {@link #claim} (the flush decides to ping), {@link #sent} (the container has
 * written it) or {@link #abandoned} (no thread was free to write it), and {@link #ponged} (the
 * answer arrived). The answer can arrive <em>before</em> {@link #sent} is recorded: the client
 * answers within a millisecond on loopback, while the thread that wrote the ping can be
 * descheduled between the write and the bookkeeping on a busy machine. So the pong clears the
 * ping from the moment it is claimed, and a late {@link #sent} does not bring an answered ping
 * back (that once closed thousands of healthy clients with 4003 under load).
 */
final class Liveness {

    private long nextPingAt;
    private boolean outstanding;      // a ping was claimed and no pong has come since
    private long sentAt = -1;         // when the outstanding ping was written, or -1

    /** {@code firstPingAt}: when the first ping is due. */
    Liveness(long firstPingAt) {
        this.nextPingAt = firstPingAt;
    }

    /** Claims a ping if one is due and none is unanswered; the next is then due {@code intervalMillis} later. */
    boolean claim(long now, long intervalMillis) {
        if (outstanding || now < nextPingAt) {
            return false;
        }
        outstanding = true;
        sentAt = -1;
        nextPingAt = now + intervalMillis;
        return true;
    }

    /** The claimed ping was written at {@code now}; its pong is awaited from then (unless it already came). */
    void sent(long now) {
        if (outstanding) {
            sentAt = now;
        }
    }

    /** The claimed ping was not written; one is due again at once. */
    void abandoned() {
        outstanding = false;
        sentAt = -1;
        nextPingAt = Long.MIN_VALUE;
    }

    /** A pong arrived (the answer to our ping, or one the client sent on its own). */
    void ponged() {
        outstanding = false;
        sentAt = -1;
    }

    /**
     * Milliseconds the unanswered ping has been out at {@code now}: 0 if none is, or while it is
     * still being written (a write that does not finish is the send timeout's business).
     */
    long overdue(long now) {
        return outstanding && sentAt >= 0 ? Math.max(0, now - sentAt) : 0;
    }
}
