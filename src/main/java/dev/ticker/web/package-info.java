/**
 * The servlet side: {@link dev.ticker.web.TickerContextListener} reads the {@link dev.ticker.web.Settings},
 * wires the market to the hub and owns their threads; the origin check in front of the WebSocket
 * handshake; and the health endpoint.
 */
package dev.ticker.web;
