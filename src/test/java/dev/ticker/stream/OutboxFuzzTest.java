package dev.ticker.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ticker.market.Market;
import dev.ticker.market.MarketConfig;
import dev.ticker.market.Universe;
import dev.ticker.stream.protocol.EncodedQuote;
import dev.ticker.stream.protocol.Event;
import dev.ticker.stream.protocol.Pong;
import dev.ticker.stream.protocol.Snapshot;
import dev.ticker.stream.protocol.Subscribed;
import dev.ticker.stream.protocol.Ticks;
import dev.ticker.stream.protocol.Unsubscribed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Coverage-guided fuzzing of command handling (Jazzer): any sequence of subscribes, unsubscribes,
 * replies, trades and flushes, with any symbols, leaves an {@link Outbox} within its limits and its
 * frames in order: subscriptions never over {@code maxSymbols} nor outside the universe, replies
 * never over {@code maxReplies}, {@code seq} always one up, ticks only for subscribed symbols and
 * never older than what the connection already got; and the rate limiter only ever says one of its
 * three words. Replays its inputs in a normal test run; CI fuzzes it for a bounded time.
 */
class OutboxFuzzTest {

    private static final int MAX_SYMBOLS = 5;
    private static final int MAX_REPLIES = 8;

    @FuzzTest(maxDuration = "60s")
    void anySequenceOfCommandsKeepsTheOutboxWithinItsLimits(FuzzedDataProvider data) {
        Universe universe = Universe.standard(12, 1);
        Market market = new Market(universe, MarketConfig.defaults(1), 0);
        QuoteBoard board = new QuoteBoard(universe);
        Outbox outbox = new Outbox(board, MAX_SYMBOLS, MAX_REPLIES);
        RateLimiter limiter = new RateLimiter(5, 3, 0);
        Round round = Round.initial(board);
        Set<String> subscribed = new HashSet<>();
        Map<String, Long> lastSentTs = new HashMap<>();
        long seq = 0;
        long now = 0;
        for (int step = 0; step < 200 && data.remainingBytes() > 0; step++) {
            now += data.consumeInt(0, 2000);
            assertTrue(limiter.check(now) != null);
            switch (data.consumeInt(0, 5)) {
                case 0 -> outbox.subscribe(null, symbols(data, universe), data.consumeBoolean());
                case 1 -> outbox.unsubscribe(null, symbols(data, universe));
                case 2 -> outbox.reply(new Pong(null, 0, 0));
                case 3 -> board.publish(market.current(data.consumeInt(0, universe.size() - 1)));
                case 4 -> round = round.next(board);
                default -> { }
            }
            // Drain what the connection would send now: replies, then (in a flush) ticks.
            boolean flush = data.consumeBoolean();
            for (Event event = outbox.next(now, flush ? round : null); event != null;
                 event = outbox.next(now, flush ? round : null)) {
                assertEquals(++seq, event.seq(), "seq goes up by one");
                if (event instanceof Subscribed s) {
                    subscribed.clear();
                    subscribed.addAll(s.symbols());
                } else if (event instanceof Unsubscribed u) {
                    subscribed.clear();
                    subscribed.addAll(u.symbols());
                } else if (event instanceof Ticks t) {
                    for (EncodedQuote quote : t.data().quotes()) {
                        String symbol = quote.quote().symbol();
                        assertTrue(subscribed.contains(symbol), "tick for " + symbol + " not subscribed: " + subscribed);
                        long ts = quote.quote().ts();
                        assertTrue(lastSentTs.getOrDefault(symbol, Long.MIN_VALUE) <= ts, "an older quote of " + symbol);
                        lastSentTs.put(symbol, ts);
                    }
                } else if (event instanceof Snapshot snapshot) {
                    for (EncodedQuote quote : snapshot.data().quotes()) {
                        lastSentTs.merge(quote.quote().symbol(), quote.quote().ts(), Math::max);
                    }
                }
            }
            assertTrue(outbox.subscriptionCount() <= MAX_SYMBOLS, "subscriptions " + outbox.subscriptionCount());
            assertTrue(outbox.pendingReplies() <= MAX_REPLIES, "replies " + outbox.pendingReplies());
            List<String> symbols = outbox.symbols();
            assertEquals(new HashSet<>(symbols).size(), symbols.size(), "a symbol subscribed twice: " + symbols);
            assertTrue(universe.symbols().containsAll(symbols), symbols::toString);
        }
    }

    /** A request's symbols: mostly real ones (any case), sometimes "*", unknown or odd strings. */
    private static List<String> symbols(FuzzedDataProvider data, Universe universe) {
        int count = data.consumeInt(1, 8);
        List<String> symbols = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            switch (data.consumeInt(0, 3)) {
                case 0 -> symbols.add("*");
                case 1 -> symbols.add(data.consumeString(8).toUpperCase(java.util.Locale.ROOT));
                default -> symbols.add(universe.get(data.consumeInt(0, universe.size() - 1)).symbol());
            }
        }
        return symbols;
    }
}
