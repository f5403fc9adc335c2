package dev.ticker.stream;

import dev.ticker.stream.protocol.Limits;

/**
 * How the hub streams to clients, and the limits it holds them to.
 *
 * @param flushMillis            at most one {@code ticks} frame per connection per this many ms
 * @param heartbeatMillis        a {@code heartbeat} goes out after this long without another frame
 * @param maxSymbols             symbols one connection may subscribe to
 * @param maxMessageBytes        largest client frame, in UTF-8 bytes; larger ones close with 1009
 * @param maxMessagesPerSecond   client frames per second, sustained, before {@code RATE_LIMITED}
 * @param sendTimeoutMillis      a send stuck this long closes the connection with 4002
 * @param permessageDeflate      whether a client that offers permessage-deflate (RFC 7692) gets it
 * @param maxMessageBurst        client frames that may arrive at once (the token bucket's size)
 * @param subscribeTimeoutMillis a connection subscribed to nothing for this long is closed with 1008
 * @param pingMillis             a WebSocket ping goes to every connection this often
 * @param pongTimeoutMillis      a ping unanswered this long closes the connection with 4003 (see {@link Liveness#timedOut})
 * @param maxSessions            connections the server holds in all; more are refused (HTTP 503)
 * @param maxSessionsPerAddress  connections from one client address; more are refused (HTTP 429);
 *                               0: no limit
 */
public record StreamConfig(
        int flushMillis,
        int heartbeatMillis,
        int maxSymbols,
        int maxMessageBytes,
        int maxMessagesPerSecond,
        int sendTimeoutMillis,
        boolean permessageDeflate,
        int maxMessageBurst,
        int subscribeTimeoutMillis,
        int pingMillis,
        int pongTimeoutMillis,
        int maxSessions,
        int maxSessionsPerAddress) {

    /** What one quote takes in a snapshot, at most (its JSON is about 260 bytes). */
    static final int QUOTE_BYTES = 320;

    /** Hard ceiling of {@link #maxMessageBytes}, also declared on the endpoint for the container. */
    public static final int MAX_MESSAGE_BYTES_CEILING = 65_536;

    public StreamConfig {
        require("flushMillis", flushMillis, 5, 10_000);
        require("heartbeatMillis", heartbeatMillis, 100, 3_600_000);
        require("maxSymbols", maxSymbols, 1, 100_000);
        require("maxMessageBytes", maxMessageBytes, 64, MAX_MESSAGE_BYTES_CEILING);
        require("maxMessagesPerSecond", maxMessagesPerSecond, 1, 10_000);
        require("sendTimeoutMillis", sendTimeoutMillis, 100, 3_600_000);
        require("maxMessageBurst", maxMessageBurst, 1, 10_000);
        require("subscribeTimeoutMillis", subscribeTimeoutMillis, 100, 86_400_000);
        require("pingMillis", pingMillis, 100, 3_600_000);
        require("pongTimeoutMillis", pongTimeoutMillis, 100, 3_600_000);
        require("maxSessions", maxSessions, 1, 10_000_000);
        require("maxSessionsPerAddress", maxSessionsPerAddress, 0, 10_000_000);
        // The flush checks every deadline on its visits, at least once a quarter of the shortest
        // (QuoteHub), so a deadline under four flushes could not be kept.
        atLeastFourFlushes(flushMillis, "heartbeatMillis", heartbeatMillis);
        atLeastFourFlushes(flushMillis, "sendTimeoutMillis", sendTimeoutMillis);
        atLeastFourFlushes(flushMillis, "subscribeTimeoutMillis", subscribeTimeoutMillis);
        atLeastFourFlushes(flushMillis, "pingMillis", pingMillis);
        atLeastFourFlushes(flushMillis, "pongTimeoutMillis", pongTimeoutMillis);
        if (pongTimeoutMillis > pingMillis) {
            throw new IllegalArgumentException("pongTimeoutMillis must be at most pingMillis (" + pingMillis + "): "
                    + pongTimeoutMillis + "; a client would be pinged again before its last ping timed out");
        }
    }

    /**
     * 50 ms flushes, 10 s heartbeats, 200 symbols, 4 KiB frames, 20 requests/s with bursts of 20,
     * 10 s send timeout, no compression, 30 s to subscribe, pings every 30 s answered within 10 s,
     * 10,000 connections, 100 per client address.
     */
    public static StreamConfig defaults() {
        return new StreamConfig(50, 10_000, 200, 4096, 20, 10_000, false, 20, 30_000, 30_000, 10_000, 10_000, 100);
    }

    /** These settings with other flush and send timeouts and limits, for tests. */
    public StreamConfig withTimeouts(int subscribeTimeoutMillis, int pingMillis, int pongTimeoutMillis) {
        return new StreamConfig(flushMillis, heartbeatMillis, maxSymbols, maxMessageBytes, maxMessagesPerSecond,
                sendTimeoutMillis, permessageDeflate, maxMessageBurst, subscribeTimeoutMillis, pingMillis,
                pongTimeoutMillis, maxSessions, maxSessionsPerAddress);
    }

    /**
     * Replies one connection may have waiting to be sent: two per request of a full burst (a
     * subscribe is answered with {@code subscribed} and {@code snapshot}). More, and the client is
     * sending without reading: closed with 1008.
     */
    public int maxPendingReplies() {
        return 2 * maxMessageBurst;
    }

    /**
     * What one connection's waiting replies may hold between them, in bytes as encoded (roughly):
     * 64 KiB plus two snapshots of {@code maxSymbols} quotes. More, and it is closed with 1008.
     */
    public long maxPendingReplyBytes() {
        return 64 * 1024 + 2L * maxSymbols * QUOTE_BYTES;
    }

    public Limits limits() {
        return new Limits(maxSymbols, maxMessageBytes, maxMessagesPerSecond, maxMessageBurst, subscribeTimeoutMillis,
                pingMillis, pongTimeoutMillis, sendTimeoutMillis, maxSessionsPerAddress, maxPendingReplies(),
                maxPendingReplyBytes());
    }

    private static void atLeastFourFlushes(int flushMillis, String key, int value) {
        if ((long) flushMillis * 4 > value) {
            throw new IllegalArgumentException("flushMillis must be at most a quarter of " + key + " (" + value + "): "
                    + flushMillis + "; the flush checks that deadline only every flushMillis");
        }
    }

    private static void require(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "]: " + value);
        }
    }
}
