package dev.ticker.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Closes a hub's connections a few at a time when they must go elsewhere: in cluster mode, when
 * the node has lost the shared market (Redis unreachable for too long: 1013, try again later) or
 * the market started over (a new epoch: 1012, service restart). A few at a time, so that they do
 * not all reconnect to the other nodes in the same instant: the first goes at once, the last after
 * {@code spreadMillis}. Runs on the hub's flush thread, a few times a second.
 */
final class Shedder {

    private final QuoteHub hub;
    private final Supplier<Close> verdict;
    private final long spreadMillis;
    private final long tickMillis;
    private Close shedding;      // the current reason, or null
    private int perTick;

    /**
     * @param verdict      asked every tick: why every connection must go now, or null if none must
     * @param spreadMillis over how long to close them
     */
    Shedder(QuoteHub hub, Supplier<Close> verdict, long spreadMillis, long tickMillis) {
        this.hub = hub;
        this.verdict = verdict;
        this.spreadMillis = spreadMillis;
        this.tickMillis = tickMillis;
    }

    void tick() {
        Close reason = verdict.get();
        if (reason == null) {
            shedding = null;
            return;
        }
        List<Connection> open = new ArrayList<>(hub.openConnections());
        if (shedding == null || shedding.code() != reason.code()) {
            shedding = reason;
            // Sized on the connections there are when it starts, so the last goes after spreadMillis.
            perTick = (int) Math.max(1, Math.ceil(open.size() * (double) tickMillis / Math.max(tickMillis, spreadMillis)));
        }
        for (int i = 0; i < perTick && i < open.size(); i++) {
            hub.close(open.get(i), reason);
        }
    }
}
