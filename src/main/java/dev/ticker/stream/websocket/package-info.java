/**
 * The stream over WebSocket: {@link dev.ticker.stream.websocket.QuoteEndpoint} at
 * {@code /ws/quotes} accepts connections and hands every frame to the hub.
 */
package dev.ticker.stream.websocket;
