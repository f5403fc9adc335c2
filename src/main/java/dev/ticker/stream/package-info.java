/**
 * The WebSocket boundary: {@link dev.ticker.stream.QuoteEndpoint} accepts connections and hands
 * every frame to the {@link dev.ticker.stream.QuoteHub}, which owns the sessions, their
 * subscriptions and bounded outboxes, and the policy for slow and abusive clients.
 */
package dev.ticker.stream;
