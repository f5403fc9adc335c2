package dev.ticker.stream;

import dev.ticker.stream.protocol.Limits;

/**
 * How the hub streams to clients.
 *
 * @param flushMillis          at most one {@code ticks} frame per connection per this many ms
 * @param heartbeatMillis      a {@code heartbeat} goes out after this long without another frame
 * @param maxSymbols           symbols one connection may subscribe to
 * @param maxMessageBytes      largest client frame, in UTF-8 bytes; larger ones close with 1009
 * @param maxMessagesPerSecond client frames per second before {@code RATE_LIMITED}
 * @param sendTimeoutMillis    a send stuck this long closes the connection with 4002
 * @param permessageDeflate    whether a client that offers permessage-deflate (RFC 7692) gets it
 */
public record StreamConfig(
        int flushMillis,
        int heartbeatMillis,
        int maxSymbols,
        int maxMessageBytes,
        int maxMessagesPerSecond,
        int sendTimeoutMillis,
        boolean permessageDeflate) {

    /** Hard ceiling of {@link #maxMessageBytes}, also declared on the endpoint for the container. */
    public static final int MAX_MESSAGE_BYTES_CEILING = 65_536;

    public StreamConfig {
        require("flushMillis", flushMillis, 5, 10_000);
        require("heartbeatMillis", heartbeatMillis, 100, 3_600_000);
        require("maxSymbols", maxSymbols, 1, 100_000);
        require("maxMessageBytes", maxMessageBytes, 64, MAX_MESSAGE_BYTES_CEILING);
        require("maxMessagesPerSecond", maxMessagesPerSecond, 1, 10_000);
        require("sendTimeoutMillis", sendTimeoutMillis, 100, 3_600_000);
    }

    /**
     * 50 ms flushes, 10 s heartbeats, 200 symbols, 4 KiB frames, 20 requests/s, 10 s send timeout,
     * no compression.
     */
    public static StreamConfig defaults() {
        return new StreamConfig(50, 10_000, 200, 4096, 20, 10_000, false);
    }

    public Limits limits() {
        return new Limits(maxSymbols, maxMessageBytes, maxMessagesPerSecond);
    }

    private static void require(String key, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "]: " + value);
        }
    }
}
