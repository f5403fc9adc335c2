/**
 * Intraday history: every symbol's current and previous session as one-minute bars of simulated
 * time, built from every trade ({@link dev.ticker.history.BarBook}). Plain Java, like the market:
 * the stream and the HTTP API read it.
 */
package dev.ticker.history;
