package dev.ticker.stream;

import dev.ticker.market.TimeSource;
import dev.ticker.stream.protocol.Event;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.Function;

/**
 * One client connection: its {@link Transport}, {@link Outbox} and {@link RateLimiter}, and the
 * rule that at most one send is in flight. Whoever finds the connection idle (the flush thread,
 * the thread of an incoming request, or the completion of the previous send) claims it under the
 * lock and sends one frame; nobody else can send until that frame completes. So no two threads
 * ever send on the transport and nothing piles up in the container's own queue.
 *
 * <p>To the transports, which hand its requests to the {@link QuoteHub}, it is an opaque handle.
 */
public final class Connection {

    /** Ping payloads: unpredictable, so a client cannot answer a ping it did not read. */
    private static final SecureRandom PAYLOADS = new SecureRandom();

    /** {@code idleSince} of a connection subscribed to something (monotonic times can be any long). */
    private static final long SUBSCRIBED = Long.MIN_VALUE;

    private final Transport transport;
    private final TimeSource time;
    private final Outbox outbox;
    private final RateLimiter limiter;
    private final Admission.Ticket ticket;
    private final long heartbeatAfterMillis;
    private final StreamMetrics metrics;
    private final Pinger pinger;
    private final Closer closer;
    private final Object lock = new Object();

    // Guarded by lock.
    private boolean sending;
    // A ping is due and claimed (Liveness) but not written yet: a pinger thread writes it when it
    // gets to it, taking the send slot only then, so that ticks and replies are not held up while
    // the ping waits for a thread (two slow readers on Tomcat, whose pings block, could hold both).
    private boolean pingWanted;
    // The pinger found a send in flight: the send's completion hands the ping back to a pinger.
    private boolean pingWaiting;
    private long sendingSince;
    private long sendingSinceNanos;
    private long lastSentAt;
    private boolean closing;
    private long idleSince;            // since when subscribed to nothing, or SUBSCRIBED
    private final Liveness liveness;

    private volatile boolean broken;

    // The flush thread's: this connection's place in its FlushIndex, once entered.
    FlushIndex.Place<Connection> place;

    /**
     * {@code firstPingAt}: when the first ping is due (spread, so connections opened together are
     * not pinged together); {@code heartbeatAfterMillis}: the silence after which a flush's visit
     * sends a heartbeat ({@link QuoteHub#heartbeatAfterMillis()}); {@code pinger} writes the pings
     * a visit asks for, and {@code closer} ends the connection when a send fails.
     */
    Connection(Transport transport, TimeSource time, Outbox outbox, RateLimiter limiter, Admission.Ticket ticket, long now,
               long firstPingAt, long heartbeatAfterMillis, StreamMetrics metrics, Pinger pinger, Closer closer) {
        this.transport = transport;
        this.time = time;
        this.outbox = outbox;
        this.limiter = limiter;
        this.ticket = ticket;
        this.heartbeatAfterMillis = heartbeatAfterMillis;
        this.metrics = metrics;
        this.pinger = pinger;
        this.closer = closer;
        this.lastSentAt = now;
        this.idleSince = now;
        this.liveness = new Liveness(firstPingAt);
    }

    /** The connection's place in the admission counts, or null if the handshake brought none. */
    Admission.Ticket ticket() {
        return ticket;
    }

    Transport transport() {
        return transport;
    }

    String id() {
        return transport.id();
    }

    /** Rate-limits one incoming request. */
    RateLimiter.Verdict admit(long now) {
        synchronized (lock) {
            return limiter.check(now);
        }
    }

    /**
     * Applies {@code change} to the outbox and sends what it queued. False if the outbox refused
     * (too many unanswered replies).
     */
    boolean update(long now, Function<Outbox, Boolean> change) {
        boolean accepted;
        synchronized (lock) {
            if (closing) {
                return true;
            }
            accepted = change.apply(outbox);
            if (outbox.subscriptionCount() > 0) {
                idleSince = SUBSCRIBED;
            } else if (idleSince == SUBSCRIBED) {
                idleSince = now;
            }
        }
        pump(now, null);
        return accepted;
    }

    boolean reply(long now, Event event) {
        return update(now, outbox -> outbox.reply(event));
    }

    /** Queues the first frame without sending anything yet. */
    void welcome(Event welcome) {
        synchronized (lock) {
            outbox.welcome(welcome);
        }
    }

    /** Queues {@code notice} behind the replies already queued, and sends it if nothing is in flight. */
    void notice(long now, Event notice) {
        synchronized (lock) {
            if (closing) {
                return;
            }
            outbox.notice(notice);
        }
        pump(now, null);
    }

    /** See {@link Transport#servedWhileUndeploying()}. */
    boolean servedWhileUndeploying() {
        return transport.servedWhileUndeploying();
    }

    /** Whether the connection is being closed (or is closed): nothing more is sent. */
    boolean isClosing() {
        synchronized (lock) {
            return closing;
        }
    }

    boolean subscribe(long now, JsonValue id, List<String> symbols, boolean snapshot) {
        return update(now, outbox -> outbox.subscribe(id, symbols, snapshot));
    }

    boolean unsubscribe(long now, JsonValue id, List<String> symbols) {
        return update(now, outbox -> outbox.unsubscribe(id, symbols));
    }

    /**
     * Sends the next frame if no send is in flight: a pending reply, else (if {@code round} is
     * given: the flush) the conflated ticks, else (if {@code heartbeatMillis} passed in silence) a
     * heartbeat. False if a send was in flight (the flush found the connection busy).
     */
    boolean pump(long now, Round round) {
        Event event;
        synchronized (lock) {
            if (closing) {
                return true;
            }
            if (sending) {
                return false;
            }
            event = claimNext(now, round);
        }
        if (event != null) {
            send(event);
        }
        return true;
    }

    /** What the flush found on its visit: see {@link #visit}. */
    enum Visit {
        /** Sent the round's ticks, or had nothing to send, or is closing. */
        DONE,
        /** Sent a reply first (replies go before ticks): the round's ticks wait for the next flush. */
        BEHIND,
        /** A send was in flight, not for long: the ticks wait for the next flush. */
        BUSY,
        /** A send has been in flight longer than the send timeout. */
        STUCK,
        /** Its pong did not come back in time. */
        GONE,
        /** Subscribed to nothing for longer than the subscribe timeout. */
        IDLE,
        /**
         * A ping is due (none unanswered) and claimed: the caller hands it to a pinger thread,
         * which writes it with {@link #writePing} when the send slot is free. The round's ticks
         * were handled as for the other answers, without waiting for it.
         */
        PING
    }

    /**
     * The flush's visit, under one lock (at 20,000 connections the flush once visited every one 20
     * times a second, and took each connection's lock five times when every check had its own method):
     * a send stuck past the send timeout, a missing pong ({@link Liveness#timedOut}), no
     * subscription for longer than the subscribe timeout, a send in flight, a ping due, in that
     * order; if none applies, sends its next frame: a reply, the round's ticks, or a heartbeat if
     * it has been silent {@code heartbeatAfterMillis} long enough. The caller closes the
     * connection or sends the ping the answer asks for, and visits it again next round if the
     * round's ticks did not go out (BUSY, PING, BEHIND).
     */
    Visit visit(long now, Round round, StreamConfig config, long readUpTo, long lagMillis) {
        Event event;
        boolean behind;
        boolean ping;
        synchronized (lock) {
            if (closing) {
                return Visit.DONE;
            }
            if (sending && now - sendingSince > config.sendTimeoutMillis()) {
                return Visit.STUCK;
            }
            boolean pings = transport.pings();
            if (pings && liveness.timedOut(now, config.pongTimeoutMillis(), config.pingMillis(), readUpTo, lagMillis)) {
                return Visit.GONE;
            }
            if (idleSince != SUBSCRIBED && now - idleSince > config.subscribeTimeoutMillis()) {
                return Visit.IDLE;
            }
            ping = pings && !pingWanted && liveness.claim(now, config.pingMillis(), PAYLOADS.nextLong());
            pingWanted |= ping;
            if (sending) {
                return ping ? Visit.PING : Visit.BUSY;
            }
            event = claimNext(now, round);
            behind = !outbox.caughtUp(round);
        }
        if (event != null) {
            send(event);
        }
        return ping ? Visit.PING : behind ? Visit.BEHIND : Visit.DONE;
    }

    /** The subscribed symbols as of one version of them. */
    record Subscriptions(long version, int[] indices) {
    }

    /** The subscribed symbols, or null if they are still those of {@code version}. */
    Subscriptions subscriptionsUnless(long version) {
        synchronized (lock) {
            long now = outbox.subscriptionVersion();
            return now == version ? null : new Subscriptions(now, outbox.subscribedIndices());
        }
    }

    /**
     * Under the lock, with no send in flight: takes the next frame to send and marks the send in
     * flight, or returns null if there is nothing to send.
     */
    private Event claimNext(long now, Round round) {
        long ts = time.epochMillis();
        Event event = outbox.next(ts, round);
        if (event == null && round != null && now - lastSentAt >= heartbeatAfterMillis) {
            event = outbox.heartbeat(ts);
        }
        if (event != null) {
            sending = true;
            sendingSince = now;
            sendingSinceNanos = System.nanoTime();
            lastSentAt = now;
        }
        return event;
    }

    /** Sends the frame {@link #claimNext} claimed, outside the lock. */
    private void send(Event event) {
        metrics.frameSent(event);
        try {
            transport.send(event, this::sent);
        } catch (RuntimeException e) {
            // Already closed, or the container refused: nothing more will be sent.
            synchronized (lock) {
                sending = false;
            }
            closer.failed(this, e);
        }
    }

    /** The send completed: {@code failure} null if the frame was written. */
    private void sent(Throwable failure) {
        long took;
        Event next = null;
        boolean ping = false;
        boolean ok = failure == null;
        synchronized (lock) {
            sending = false;
            took = System.nanoTime() - sendingSinceNanos;
            if (ok && !closing) {
                if (pingWaiting) {
                    // The ping goes first; the replies follow it (pump after it is written).
                    pingWaiting = false;
                    ping = true;
                } else {
                    // Replies go out at once; ticks wait for the next flush, which is what
                    // conflates them. Claimed under the same lock: this runs once for every frame.
                    next = claimNext(time.monotonicMillis(), null);
                }
            }
        }
        metrics.sendCompleted(took, ok);
        if (next != null) {
            send(next);
        } else if (ping) {
            pinger.ping(this);
        } else if (!ok) {
            closer.failed(this, failure);
        }
    }

    /** Symbols subscribed. */
    int subscriptionCount() {
        synchronized (lock) {
            return outbox.subscriptionCount();
        }
    }

    /**
     * On a pinger thread: writes the wanted ping if no send is in flight, taking the send slot for
     * as long as the write takes (Tomcat writes a ping with a blocking write). If one is in flight,
     * leaves the ping to its completion, which hands it back to a pinger. Throws what the
     * container's send throws; the slot is free again then.
     */
    void writePing() throws IOException {
        long payload;
        synchronized (lock) {
            if (closing || !pingWanted) {
                return;
            }
            if (sending) {
                pingWaiting = true;
                return;
            }
            pingWanted = false;
            sending = true;
            sendingSince = time.monotonicMillis();
            payload = liveness.payload();
        }
        boolean written = false;
        try {
            transport.ping(ByteBuffer.allocate(Long.BYTES).putLong(0, payload));
            written = true;
        } finally {
            long now = time.monotonicMillis();
            synchronized (lock) {
                sending = false;
                if (written) {
                    liveness.sent(now);
                } else {
                    liveness.abandoned();
                }
            }
        }
        pump(time.monotonicMillis(), null);
    }

    /** The wanted ping will not be written (no pinger free to take it); the next flush claims one again. */
    void pingAbandoned() {
        synchronized (lock) {
            pingWanted = false;
            pingWaiting = false;
            liveness.abandoned();
        }
    }

    /**
     * A pong arrived carrying {@code data}. Returns when the ping it answers was written, or
     * {@link Liveness#NONE} if it answers none (a pong the client sent on its own, or an old one):
     * then it proves nothing and changes nothing.
     */
    long ponged(ByteBuffer data) {
        if (data == null || data.remaining() != Long.BYTES) {
            return Liveness.NONE;
        }
        long echoed = data.getLong(data.position());
        synchronized (lock) {
            return liveness.ponged(echoed);
        }
    }

    /** Marks the connection as closing: nothing more is sent. False if it already was. */
    boolean markClosing() {
        synchronized (lock) {
            if (closing) {
                return false;
            }
            closing = true;
            return true;
        }
    }

    /** A send failed: the connection is broken, and nothing waits on it for an answer to a close frame. */
    void markBroken() {
        broken = true;
    }

    /** Whether a send failed (see {@link #markBroken}). */
    boolean isBroken() {
        return broken;
    }
}
