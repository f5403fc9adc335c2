package dev.ticker.stream;

import java.util.Collection;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hub's registry: the open connections, and those the next flush must visit whatever changed
 * (opened, closed, (un)subscribed, or left behind by the last flush: busy, pinged, sent a reply
 * before the ticks). Attention is a set, so it holds at most one entry per connection: bounded.
 */
final class Connections {

    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final Set<Connection> attention = ConcurrentHashMap.newKeySet();

    /** Registers a connection that opened. */
    void add(Connection connection) {
        open.add(connection);
        attention.add(connection);
    }

    /** No longer open: not counted, not visited (the next flush takes it out of its index). */
    void forget(Connection connection) {
        open.remove(connection);
        attention.add(connection);
    }

    /** The next flush visits {@code connection} whatever changed, and re-reads its subscriptions. */
    void attend(Connection connection) {
        attention.add(connection);
    }

    /** The next flush visits every open connection (the market opened or closed: all are told at once). */
    void attendAll() {
        attention.addAll(open);
    }

    /** The connections that asked for attention; the flush removes each before it reads it. */
    Set<Connection> attention() {
        return attention;
    }

    /** The open connections, as they are while read. */
    Collection<Connection> open() {
        return Collections.unmodifiableSet(open);
    }

    int count() {
        return open.size();
    }

    /** Symbols subscribed, summed over the open connections (visits every one). */
    long subscriptions() {
        long sum = 0;
        for (Connection connection : open) {
            sum += connection.subscriptionCount();
        }
        return sum;
    }

    void clear() {
        open.clear();
        attention.clear();
    }
}
