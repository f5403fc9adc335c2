package dev.ticker.web;

import dev.ticker.market.MarketFeed;
import dev.ticker.stream.QuoteHub;

/**
 * What the listener started for this deployment, kept in the servlet context for the other pieces.
 *
 * @param refusals handshakes the filters refused, by reason
 * @param metrics  what {@code /metrics} shows
 */
record TickerRuntime(Settings settings, MarketFeed feed, QuoteHub hub, long startedAt, Refusals refusals,
                     Metrics metrics) {
}
