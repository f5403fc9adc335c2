package dev.ticker.web;

import dev.ticker.history.BarBook;
import dev.ticker.market.QuoteSource;
import dev.ticker.market.TimeSource;
import dev.ticker.stream.QuoteHub;
import dev.ticker.stream.protocol.Build;

/**
 * What the listener started for this deployment, kept in the servlet context for the other pieces.
 *
 * @param build     the WAR's version and commit
 * @param bars      every symbol's bars of the current and previous session
 * @param time      the clocks of everything this deployment times
 * @param startedAt when it started, on {@code time}'s monotonic clock
 * @param refusals handshakes the filters refused, by reason
 * @param metrics  what {@code /metrics} shows
 */
record TickerRuntime(Settings settings, Build build, QuoteSource feed, QuoteHub hub, BarBook bars, TimeSource time, long startedAt,
                     Refusals refusals,
                     Metrics metrics) {
}
