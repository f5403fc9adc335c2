package dev.ticker.stream;

/**
 * When a connection is due a ping, and whether the missing pong means the client is gone. Not
 * thread-safe: the owning {@link Connection} calls it under its lock.
 *
 * <p>A ping's life: {@link #claim} (the flush decides to ping, and draws its random payload),
 * {@link #sent} (the container has written it) or {@link #abandoned} (no thread was free to write
 * it), and {@link #ponged} (the answer arrived). Only a pong that carries the outstanding ping's
 * payload answers it (RFC 6455 has the pong echo the ping's application data, and every browser
 * and client library does): a client that sends pongs of its own accord, reading nothing, is not
 * taken for alive. On Tyrus (GlassFish, Payara), where a send never looks stuck, the ping is what
 * catches a client that stopped reading.
 *
 * <p>The answer can arrive <em>before</em> {@link #sent} is recorded: the client answers within a
 * millisecond on loopback, while the thread that wrote the ping can be descheduled between the
 * write and the bookkeeping on a busy machine. So the pong clears the
 * ping from the moment it is claimed, and a late {@link #sent} does not bring an answered ping back.
 *
 * <p>A pong that has not been <em>read</em> yet is not a missing pong. Under overload (a reconnect
 * storm: thousands of handshakes queued in the container) the server reads every client's frames
 * late, pongs included, and a plain "no pong within the timeout" closes healthy clients by the
 * thousand, who reconnect and make the storm worse. So the timeout alone is not enough: see
 * {@link #timedOut}.
 */
final class Liveness {

    /** {@link #ponged} found no ping waiting for its answer. */
    static final long NONE = Long.MIN_VALUE;

    private long nextPingAt;
    private boolean outstanding;      // a ping was claimed and no pong has come since
    private long payload;             // what the outstanding ping carries, and its pong must
    private long claimedAt;
    private long sentAt = NONE;       // when the outstanding ping was written, or NONE

    /** {@code firstPingAt}: when the first ping is due. */
    Liveness(long firstPingAt) {
        this.nextPingAt = firstPingAt;
    }

    /**
     * Claims a ping carrying {@code payload} if one is due and none is unanswered; the next is then
     * due {@code intervalMillis} later.
     */
    boolean claim(long now, long intervalMillis, long payload) {
        if (outstanding || now < nextPingAt) {
            return false;
        }
        outstanding = true;
        this.payload = payload;
        claimedAt = now;
        sentAt = NONE;
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
        sentAt = NONE;
        nextPingAt = Long.MIN_VALUE;
    }

    /** The payload of the claimed ping. */
    long payload() {
        return payload;
    }

    /**
     * A pong carrying {@code echoed} arrived. If it answers the outstanding ping (the same payload),
     * returns when that ping was written (when it was claimed, if the write is not recorded yet);
     * otherwise ({@link #NONE}: no ping waiting, or a pong the client sent on its own) it changes
     * nothing.
     */
    long ponged(long echoed) {
        if (!outstanding || echoed != payload) {
            return NONE;
        }
        long answered = sentAt != NONE ? sentAt : claimedAt;
        outstanding = false;
        sentAt = NONE;
        return answered;
    }

    /**
     * Milliseconds the unanswered ping has been out at {@code now}: 0 if none is, or while it is
     * still being written (a write that does not finish is the send timeout's business).
     */
    long overdue(long now) {
        return outstanding && sentAt != NONE ? Math.max(0, now - sentAt) : 0;
    }

    /**
     * Whether the client is to be taken for gone at {@code now}. Its ping has been unanswered over
     * {@code timeoutMillis} plus {@code lagMillis} (the longest round trip the server has seen lately,
     * at most {@code graceMillis}: when everybody answers late, so may this client), and
     * <ul>
     *   <li>the server has already read the pong of a ping written no earlier than this one
     *       ({@code readUpTo}, over all connections), so this pong is not merely waiting its turn
     *       to be read; or</li>
     *   <li>without that evidence (few connections, or every pong late), the ping has been
     *       unanswered over {@code timeoutMillis + graceMillis}.</li>
     * </ul>
     */
    boolean timedOut(long now, long timeoutMillis, long graceMillis, long readUpTo, long lagMillis) {
        long overdue = overdue(now);
        return overdue > timeoutMillis + Math.min(Math.max(0, lagMillis), graceMillis)
                && (readUpTo >= sentAt || overdue > timeoutMillis + graceMillis);
    }
}
