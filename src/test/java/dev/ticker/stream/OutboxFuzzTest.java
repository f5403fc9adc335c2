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
 * never over {@code maxReplies} nor their bytes over the budget, {@code seq} always one up, ticks only for subscribed symbols, each
 * quote newer (by its board version) than any the connection already got of its symbol, and after
 * a flush that reached the ticks, nothing of the flush's view missing; and the rate limiter only
 * ever says one of its three words. Replays its inputs (a committed seed corpus) in a normal test
 * run; CI fuzzes it for a bounded time.
 */
class OutboxFuzzTest {

    private static final int MAX_SYMBOLS = 5;
    private static final int MAX_REPLIES = 8;
    private static final long MAX_REPLY_BYTES = 4_000;

    @FuzzTest(maxDuration = "60s")
    void anySequenceOfCommandsKeepsTheOutboxWithinItsLimits(FuzzedDataProvider data) {
        Universe universe = Universe.standard(12, 1);
        Market market = new Market(universe, MarketConfig.defaults(1), 0);
        QuoteBoard board = new QuoteBoard(universe);
        for (int i = 0; i < universe.size(); i++) {
            board.publish(market.current(i));
        }
        Outbox outbox = new Outbox(board, MAX_SYMBOLS, MAX_REPLIES, MAX_REPLY_BYTES);
        RateLimiter limiter = new RateLimiter(5, 3, 0);
        Round round = Round.initial(board);
        Set<String> subscribed = new HashSet<>();
        // What the connection has of each symbol: the board version of the last quote it was sent,
        // or of the quote that was current when it subscribed (only newer ones are owed after that).
        Map<String, Long> has = new HashMap<>();
        long seq = 0;
        long now = 0;
        for (int step = 0; step < 200 && data.remainingBytes() > 0; step++) {
            now += data.consumeInt(0, 2000);
            assertTrue(limiter.check(now) != null);
            int op = data.consumeInt(0, 5);
            switch (op) {
                case 0 -> {
                    Set<String> before = new HashSet<>(outbox.symbols());
                    outbox.subscribe(null, symbols(data, universe), data.consumeBoolean());
                    for (String symbol : outbox.symbols()) {
                        if (!before.contains(symbol)) {
                            has.merge(symbol, version(board, universe, symbol), Math::max);
                        }
                    }
                }
                case 1 -> outbox.unsubscribe(null, symbols(data, universe));
                case 2 -> outbox.reply(new Pong(null, 0, 0));
                case 3 -> {
                    for (int trades = data.consumeInt(1, 20); trades > 0; trades--) {
                        board.publish(market.next());
                    }
                }
                case 4 -> round = round.next(board);
                default -> { }
            }
            // Drain what the connection would send now: replies (a send's completion sends the
            // next one), and when a flush visits it (each flush takes a new round; a busy
            // connection misses some), the round's ticks after them.
            boolean flush = op == 4 && data.consumeBoolean();
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
                        String symbol = quote.symbol();
                        assertTrue(subscribed.contains(symbol), "tick for " + symbol + " not subscribed: " + subscribed);
                        long version = versionOf(round, universe, quote);
                        long had = has.getOrDefault(symbol, 0L);
                        assertTrue(version > had, "a quote of " + symbol + " at version " + version + " after " + had);
                        has.put(symbol, version);
                    }
                } else if (event instanceof Snapshot snapshot) {
                    for (EncodedQuote quote : snapshot.data().quotes()) {
                        assertTrue(subscribed.contains(quote.symbol()), "snapshot of an unsubscribed symbol");
                    }
                }
            }
            if (flush && outbox.caughtUp(round)) {
                // The flush took its ticks: every subscribed symbol is at least at the flush's view.
                for (String symbol : subscribed) {
                    QuoteBoard.Entry entry = round.entry(universe.indexOf(symbol));
                    long had = has.getOrDefault(symbol, 0L);
                    assertTrue(entry == null || had >= entry.version(),
                            "missed " + symbol + " at version " + (entry == null ? 0 : entry.version()) + ", has " + had);
                }
            }
            assertTrue(outbox.subscriptionCount() <= MAX_SYMBOLS, "subscriptions " + outbox.subscriptionCount());
            assertTrue(outbox.pendingReplies() <= MAX_REPLIES, "replies " + outbox.pendingReplies());
            assertTrue(outbox.pendingReplyBytes() <= MAX_REPLY_BYTES, "reply bytes " + outbox.pendingReplyBytes());
            List<String> symbols = outbox.symbols();
            assertEquals(new HashSet<>(symbols).size(), symbols.size(), "a symbol subscribed twice: " + symbols);
            assertTrue(universe.symbols().containsAll(symbols), symbols::toString);
        }
    }

    private static long version(QuoteBoard board, Universe universe, String symbol) {
        QuoteBoard.Entry entry = board.latest(universe.indexOf(symbol));
        return entry == null ? 0 : entry.version();
    }

    /** The version of a ticked quote: it must be the very entry of the round's view. */
    private static long versionOf(Round round, Universe universe, EncodedQuote quote) {
        QuoteBoard.Entry entry = round.entry(universe.indexOf(quote.symbol()));
        assertTrue(entry != null && entry.quote() == quote, "a tick that is not the flush's view of " + quote.symbol());
        return entry.version();
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
