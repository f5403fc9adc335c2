package dev.ticker.web;

import dev.ticker.market.MarketFeed;
import dev.ticker.stream.QuoteHub;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the listener started for this deployment, kept in the servlet context for the other pieces.
 *
 * @param refusedOrigins handshakes the origin check answered with 403
 */
record TickerRuntime(Settings settings, MarketFeed feed, QuoteHub hub, long startedAt, LongAdder refusedOrigins) {
}
