package dev.ticker.stream.protocol;

/**
 * The limits announced in {@link Welcome}: what the server holds this connection to, so a client
 * can stay inside them instead of finding them by being closed.
 *
 * @param maxSymbols            symbols one connection may be subscribed to at once
 * @param maxMessageBytes       largest request frame, in UTF-8 bytes
 * @param maxMessagesPerSecond  requests per second, sustained
 * @param maxMessageBurst       requests that may arrive at once
 * @param subscribeTimeoutMs    a connection subscribed to nothing for this long is closed (1008)
 * @param pingMs                the server pings every connection this often
 * @param pongTimeoutMs         a ping unanswered this long closes the connection (4003)
 * @param sendTimeoutMs         a frame the client does not take within this long closes it (4002)
 * @param maxSessionsPerAddress connections one client address may hold; 0: no limit
 * @param maxPendingReplies     replies that may wait for the client to read them; more closes it (1008)
 * @param maxPendingReplyBytes  bytes those waiting replies may hold between them; more closes it (1008)
 */
public record Limits(int maxSymbols, int maxMessageBytes, int maxMessagesPerSecond, int maxMessageBurst,
                     int subscribeTimeoutMs, int pingMs, int pongTimeoutMs, int sendTimeoutMs,
                     int maxSessionsPerAddress, int maxPendingReplies, long maxPendingReplyBytes) {
}
