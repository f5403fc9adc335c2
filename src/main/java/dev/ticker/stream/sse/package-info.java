/**
 * The stream over Server-Sent Events, for clients behind proxies that block WebSocket:
 * {@link dev.ticker.stream.sse.SseServlet} at {@code /sse/quotes} opens streams and takes their
 * requests by {@code POST}; {@link dev.ticker.stream.sse.SseTransport} writes the frames with
 * Servlet non-blocking I/O.
 */
package dev.ticker.stream.sse;
