package dev.ticker.stream;

/**
 * Whom each flush visits, on the flush thread: a connection when one of its symbols changed, each
 * at least once a sweep, and those that asked for attention; not all of them every flush. Keeps
 * the {@link FlushIndex} of who subscribes to what up to date from the connections that asked.
 */
final class FlushPlan {

    /**
     * A connection subscribed to more symbols than this is visited every flush instead of being
     * entered under each symbol in the {@link FlushIndex}: it has news nearly every round anyway.
     */
    static final int WIDE_ABOVE = 64;

    private final FlushIndex<Connection> index;
    private final Connections connections;

    FlushPlan(int symbols, int sweepRounds, Connections connections) {
        this.index = new FlushIndex<>(symbols, WIDE_ABOVE, sweepRounds);
        this.connections = connections;
    }

    /**
     * The connections {@code round} visits: those that asked for attention since the last one
     * (their places in the index brought up to date first), the wide ones, the subscribers of
     * every symbol that changed, and this round's slice of the sweep. Each once.
     */
    Connection[] visits(Round round) {
        index.begin(round.number());
        for (Connection connection : connections.attention()) {
            // Removed before it is read: a connection that asks again meanwhile stays for the next flush.
            connections.attention().remove(connection);
            if (connection.isClosing()) {
                if (connection.place != null) {
                    index.remove(connection.place);
                }
                continue;
            }
            if (connection.place == null) {
                connection.place = index.add(connection);
            }
            Connection.Subscriptions subscriptions = connection.subscriptionsUnless(connection.place.version());
            if (subscriptions != null) {
                index.subscribe(connection.place, subscriptions.indices(), subscriptions.version());
            }
            index.collect(connection.place);
        }
        index.collectWide();
        for (int i = 0; i < round.changedCount(); i++) {
            index.collectSubscribersOf(round.changed(i));
        }
        index.collectSweep();
        // A new array each flush: a helper that overran its flush may still be reading the last one.
        Connection[] visits = new Connection[index.collectedCount()];
        for (int i = 0; i < visits.length; i++) {
            visits[i] = index.collected(i);
        }
        return visits;
    }
}
