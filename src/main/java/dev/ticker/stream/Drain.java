package dev.ticker.stream;

import dev.ticker.stream.protocol.Notice;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A drain in progress. Every connection is told by a {@code notice} when it will be closed, then
 * closed with 1001 at that time; the times are spread evenly over the drain, in random order, so
 * that clients reconnect elsewhere a few at a time instead of all in the same instant (a rolling
 * update would otherwise hand the other nodes a reconnect storm). Connections that opened while
 * the drain began are closed at its end. On an undeploy, connections the container may stop
 * serving ({@link Transport#servedWhileUndeploying()}: event streams) are closed at its start,
 * after the same notice. {@link #tick} runs on the hub's timer.
 */
final class Drain {

    static final Close CLOSE = new Close(CloseCodes.GOING_AWAY, "server draining; connect again");
    static final String MESSAGE = "this server is going away; connect again";

    private final QuoteHub hub;
    private final long endsAt;           // monotonic ms
    private final long endsAtEpoch;
    private final List<Connection> order;
    private final long[] closeAt;        // monotonic ms, ascending
    private int next;

    /**
     * Tells each of {@code open} when it closes: the i-th of n at {@code now + drainMillis * (i + 1) / n},
     * or, on an undeploy, at once if it cannot be served meanwhile (they come first in the order).
     *
     * @param now      monotonic ms
     * @param epochNow the same instant on the wall clock, for the notices
     */
    Drain(QuoteHub hub, List<Connection> open, long now, long epochNow, long drainMillis, boolean undeploying) {
        this.hub = hub;
        this.endsAt = now + drainMillis;
        this.endsAtEpoch = epochNow + drainMillis;
        List<Connection> now0 = new ArrayList<>();
        List<Connection> spread = new ArrayList<>();
        for (Connection connection : open) {
            (undeploying && !connection.servedWhileUndeploying() ? now0 : spread).add(connection);
        }
        Collections.shuffle(spread, ThreadLocalRandom.current());
        this.order = new ArrayList<>(now0);
        order.addAll(spread);
        int first = now0.size();
        int n = spread.size();
        this.closeAt = new long[order.size()];
        for (int i = 0; i < order.size(); i++) {
            long offset = i < first ? 0 : drainMillis * (i - first + 1) / n;
            closeAt[i] = now + offset;
            order.get(i).notice(now, new Notice(0, 0, Notice.DRAINING, epochNow + offset, drainMillis, MESSAGE));
        }
    }

    /** Closes the connections whose time has come; at the end, any that opened meanwhile. */
    void tick(long now) {
        while (next < closeAt.length && closeAt[next] <= now) {
            hub.close(order.get(next), CLOSE);
            order.set(next, null);
            next++;
        }
        if (now >= endsAt) {
            for (Connection straggler : hub.openConnections()) {
                hub.close(straggler, CLOSE);
            }
        }
    }

    /** When the last connection is closed, on the wall clock. */
    long endsAtEpoch() {
        return endsAtEpoch;
    }

    /** Whether every connection has had its close. */
    boolean over(long now) {
        return next >= closeAt.length && now >= endsAt;
    }
}
