/**
 * The quote stream, whatever carries it: the {@link dev.ticker.stream.QuoteHub} owns the
 * connections, their subscriptions and bounded outboxes, and the policy for slow and abusive
 * clients; each connection reaches its client through a {@link dev.ticker.stream.Transport}
 * (WebSocket in {@code stream.websocket}, Server-Sent Events in {@code stream.sse}), the only part
 * that knows which.
 */
package dev.ticker.stream;
