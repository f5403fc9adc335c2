package dev.ticker.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ticker.market.Market;
import dev.ticker.market.MarketConfig;
import dev.ticker.market.MarketStatus;
import dev.ticker.market.Quote;
import dev.ticker.market.Universe;
import dev.ticker.stream.protocol.EncodedQuote;
import dev.ticker.stream.protocol.Event;
import dev.ticker.stream.protocol.Heartbeat;
import dev.ticker.stream.protocol.Limits;
import dev.ticker.stream.protocol.MarketState;
import dev.ticker.stream.protocol.Pong;
import dev.ticker.stream.protocol.QuoteEncoder;
import dev.ticker.stream.protocol.RejectCode;
import dev.ticker.stream.protocol.Rejection;
import dev.ticker.stream.protocol.Snapshot;
import dev.ticker.stream.protocol.Subscribed;
import dev.ticker.stream.protocol.Ticks;
import dev.ticker.stream.protocol.Unsubscribed;
import dev.ticker.stream.protocol.Welcome;
import jakarta.json.Json;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboxTest {

    /** A reply budget no test here reaches unless it means to. */
    private static final long BYTES = 1 << 20;

    private Universe universe;
    private Market market;
    private QuoteBoard board;
    private Round round;

    @BeforeEach
    void board() {
        universe = Universe.standard(30, 1);
        market = new Market(universe, MarketConfig.defaults(1), 0);
        board = new QuoteBoard(universe);
        for (int i = 0; i < universe.size(); i++) {
            board.publish(market.current(i));
        }
        round = Round.initial(board);
    }

    /** A flush: the board's next round, then the outbox's next frame in it. */
    private Event flush(Outbox outbox, long now) {
        round = round.next(board);
        return outbox.next(now, round);
    }

    /**
     * The market's state is one slot: a connection is told of a change once, before that round's
     * ticks, and one that missed several changes is told only the latest.
     */
    @Test
    void aChangeOfTheMarketsStateIsSentOnceAndOnlyTheLatest() {
        Outbox outbox = new Outbox(board, 30, 8, BYTES);
        MarketStatus open0 = new MarketStatus(true, 0, 0, 390_000, 450_000, 60);
        outbox.welcome(new Welcome(0, 0, "ticker.v1", 10_000, new Limits(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1),
                new dev.ticker.stream.protocol.Instruments(universe.instruments()), "", open0,
                dev.ticker.stream.protocol.Build.UNKNOWN));
        outbox.subscribe(null, List.of("AAPL"), false);
        outbox.next(0, null);
        outbox.next(0, null);                               // welcome, subscribed
        round = round.next(board, open0);
        assertFalse(outbox.next(1, round) instanceof MarketState, "the welcome told of it already");
        MarketStatus closed0 = new MarketStatus(false, 0, 0, 390_000, 450_000, 60);
        MarketStatus open1 = new MarketStatus(true, 1, 450_000, 840_000, 900_000, 60);
        round = round.next(board, closed0);
        round = round.next(board, open1);                   // missed the close: busy, say
        board.publish(market.next());
        Event first = outbox.next(2, round);
        assertEquals(open1, ((MarketState) first).status());
        Event second = outbox.next(3, round);
        assertFalse(second instanceof MarketState, "told once: " + second);
    }

    @Test
    void connectionsSubscribedToEverythingAndUpToDateShareOneBatchPerFlush() {
        Outbox a = new Outbox(board, 30, 8, BYTES);
        Outbox b = new Outbox(board, 30, 8, BYTES);
        a.subscribe(null, List.of("*"), false);
        b.subscribe(null, List.of("*"), false);
        a.next(0, null);
        b.next(0, null);                                    // the subscribed replies
        round = round.next(board);
        assertNull(a.next(1, round));                       // both now up to date with this round
        assertNull(b.next(1, round));
        for (int i = 0; i < 50; i++) {
            board.publish(market.next());
        }
        round = round.next(board);
        Ticks ta = (Ticks) a.next(2, round);
        Ticks tb = (Ticks) b.next(2, round);
        assertSame(ta.data(), tb.data(), "one batch, joined once, for both");
        assertEquals(round.changedCount(), ta.data().size());
        assertEquals(2, ta.seq(), "each frame still has the connection's own seq");
    }

    @Test
    void aConnectionThatMissedAFlushCatchesUpWithEverythingItMissed() {
        Outbox outbox = new Outbox(board, 30, 8, BYTES);
        outbox.subscribe(null, List.of("AAPL", "MSFT"), false);
        outbox.next(0, null);
        assertNull(flush(outbox, 1));
        board.publish(quoteOf("AAPL"));
        round = round.next(board);                          // a flush in which the connection was busy sending
        board.publish(quoteOf("MSFT"));
        Ticks ticks = (Ticks) flush(outbox, 3);
        assertEquals(List.of("AAPL", "MSFT"), symbols(ticks.data().quotes()));
    }

    @Test
    void aSymbolSubscribedDuringAFlushIsNotSentTwice() {
        Outbox outbox = new Outbox(board, 30, 8, BYTES);
        outbox.subscribe(null, List.of("MSFT"), false);
        outbox.next(0, null);
        assertNull(flush(outbox, 1));
        round = round.next(board);                          // this flush's view is taken...
        board.publish(quoteOf("AAPL"));                     // ...then AAPL trades and is subscribed,
        outbox.subscribe(null, List.of("AAPL"), true);      // its snapshot holding that trade
        outbox.next(2, round);                              // subscribed
        Snapshot snapshot = (Snapshot) outbox.next(2, round);
        assertEquals(List.of("AAPL"), symbols(snapshot.data().quotes()));
        assertNull(outbox.next(2, round), "the round's AAPL is older than the snapshot");
        assertNull(flush(outbox, 3), "and the next round's AAPL is the snapshot's quote: no repeat");
    }

    @Test
    void afterEveryFlushEachSubscribedSymbolHoldsItsLatestQuoteAndNoOtherSymbolCame() {
        // Random subscribes and unsubscribes (one symbol or "*"), each answered before the next,
        // between trades and flushes, past the room the outbox first makes and back: whatever the
        // order, a flush leaves the connection holding the round's quote of every subscribed
        // symbol, and nothing of any other, and no quote ever comes twice.
        java.util.Random random = new java.util.Random(7);
        Outbox outbox = new Outbox(board, 30, 64, BYTES);
        java.util.Map<String, EncodedQuote> held = new java.util.HashMap<>();
        java.util.SortedSet<String> subscribed = new java.util.TreeSet<>(java.util.Comparator.comparingInt(universe::indexOf));
        for (int step = 0; step < 20_000; step++) {
            // Sometimes a flush's view is taken before this step's change and the flush reaches
            // the connection after it (a request answered while the flush runs).
            Round early = random.nextInt(4) == 0 ? round.next(board) : null;
            String symbol = random.nextInt(40) == 0 ? "*" : universe.get(random.nextInt(universe.size())).symbol();
            List<String> all = symbol.equals("*") ? universe.symbols() : List.of(symbol);
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    boolean snapshot = random.nextBoolean();
                    outbox.subscribe(null, List.of(symbol), snapshot);
                    for (String s : all) {
                        // Without a snapshot the client is taken to have the quote of the moment.
                        if (subscribed.add(s) && !snapshot) {
                            held.put(s, board.latest(universe.indexOf(s)).quote());
                        }
                    }
                }
                case 2 -> {
                    outbox.unsubscribe(null, List.of(symbol));
                    subscribed.removeAll(all);
                    all.forEach(held::remove);
                }
                default -> board.publish(market.next());
            }
            receive(outbox, null, subscribed, held);               // the replies
            if (early != null) {
                round = early;
                receive(outbox, round, subscribed, held);          // older than the change: only the checks in receive hold
            }
            if (random.nextInt(3) == 0) {
                round = round.next(board);
                receive(outbox, round, subscribed, held);
                assertEquals(List.copyOf(subscribed), outbox.symbols(), "step " + step);
                for (String s : subscribed) {
                    assertSame(round.entry(universe.indexOf(s)).quote(), held.get(s), s + " at step " + step);
                }
            }
        }
    }

    @Test
    void anAllSubscriberThatSubscribedDuringAFlushIsSoonBackOnTheSharedBatch() {
        Outbox a = new Outbox(board, 30, 8, BYTES);
        Outbox late = new Outbox(board, 30, 8, BYTES);
        a.subscribe(null, List.of("*"), false);
        a.next(0, null);
        assertNull(flush(a, 1));
        round = round.next(board);                          // this flush's view is taken...
        board.publish(quoteOf("AAPL"));                     // ...then AAPL trades and "*" is subscribed
        late.subscribe(null, List.of("*"), false);
        late.next(2, null);
        assertNull(a.next(2, round));
        assertNull(late.next(2, round), "the round's AAPL is older than what it was subscribed at");
        board.publish(quoteOf("MSFT"));
        round = round.next(board);
        Ticks ta = (Ticks) a.next(3, round);
        Ticks tl = (Ticks) late.next(3, round);
        assertEquals(List.of("AAPL", "MSFT"), symbols(ta.data().quotes()));
        assertEquals(List.of("MSFT"), symbols(tl.data().quotes()), "AAPL's trade was the state it subscribed at");
        for (int i = 0; i < 20; i++) {
            board.publish(market.next());
        }
        round = round.next(board);
        assertSame(((Ticks) a.next(4, round)).data(), ((Ticks) late.next(4, round)).data(), "one batch for both again");
    }

    /** Takes every frame {@code outbox} has now, checking each quote is of a subscribed symbol, into {@code held}. */
    private static void receive(Outbox outbox, Round round, java.util.Set<String> subscribed, java.util.Map<String, EncodedQuote> held) {
        for (Event event = outbox.next(0, round); event != null; event = outbox.next(0, round)) {
            List<EncodedQuote> quotes = event instanceof Ticks t ? t.data().quotes()
                    : event instanceof Snapshot s ? s.data().quotes() : List.of();
            for (EncodedQuote quote : quotes) {
                assertTrue(subscribed.contains(quote.symbol()), "not subscribed: " + quote.symbol());
                EncodedQuote before = held.put(quote.symbol(), quote);
                assertTrue(before == null || before != quote && ts(before) <= ts(quote),
                        "sent again or older: " + quote + " after " + before);
            }
        }
    }

    /** A new quote of {@code symbol}: the market's next trade of it. */
    private Quote quoteOf(String symbol) {
        while (true) {
            Quote quote = market.next();
            if (quote.symbol().equals(symbol)) {
                return quote;
            }
        }
    }

    @Test
    void subscribeQueuesSubscribedThenSnapshotThenNothingUntilATick() {
        Outbox outbox = new Outbox(board, 10, 8, BYTES);
        assertTrue(outbox.subscribe(Json.createValue(1), List.of("MSFT", "AAPL", "NOPE"), true));

        Subscribed subscribed = assertInstanceOf(Subscribed.class, flush(outbox, 100));
        assertEquals(1, subscribed.seq());
        assertEquals(100, subscribed.ts());
        assertEquals(List.of("AAPL", "MSFT"), subscribed.symbols());
        assertEquals(List.of(new Rejection("NOPE", RejectCode.UNKNOWN_SYMBOL)), subscribed.rejected());

        Snapshot snapshot = assertInstanceOf(Snapshot.class, flush(outbox, 101));
        assertEquals(2, snapshot.seq());
        assertEquals(List.of("MSFT", "AAPL"), symbols(snapshot.data().quotes()));

        assertNull(flush(outbox, 102), "the snapshot is the latest: no ticks yet");
    }

    @Test
    void ticksAreConflatedToTheLatestQuotePerSymbolAndOnlySubscribedOnes() {
        Outbox outbox = new Outbox(board, 10, 8, BYTES);
        outbox.subscribe(null, List.of("AAPL"), false);
        flush(outbox, 0);                               // subscribed

        Quote latest = null;
        for (int i = 0; i < 5; i++) {
            latest = quote("AAPL", 100 + i);
            board.publish(latest);
            board.publish(quote("MSFT", 200 + i));
        }
        Ticks ticks = assertInstanceOf(Ticks.class, flush(outbox, 10));
        assertEquals(1, ticks.data().size(), "five AAPL updates, one quote");
        assertEquals(QuoteEncoder.toJson(latest), ticks.data().quotes().get(0).json());
        assertEquals(2, ticks.seq());
        assertNull(flush(outbox, 11));
    }

    @Test
    void repliesGoBeforeTicksAndTicksWaitWhenNotAskedFor() {
        Outbox outbox = new Outbox(board, 10, 8, BYTES);
        outbox.subscribe(null, List.of("AAPL"), false);
        flush(outbox, 0);
        board.publish(quote("AAPL", 1));
        outbox.reply(new Pong(Json.createValue("p"), 0, 0));
        assertInstanceOf(Pong.class, outbox.next(1, null));
        assertNull(outbox.next(2, null), "ticks only go out on a flush");
        assertInstanceOf(Ticks.class, flush(outbox, 3));
    }

    @Test
    void seqCountsEveryFrameWithoutGaps() {
        Outbox outbox = new Outbox(board, 10, 8, BYTES);
        outbox.subscribe(null, List.of("*"), true);
        long expected = 1;
        for (int i = 0; i < 50; i++) {
            board.publish(market.next());
            Event event = i % 7 == 0 ? outbox.heartbeat(i) : flush(outbox, i);
            if (event != null) {
                assertEquals(expected++, event.seq());
            }
        }
        assertEquals(expected - 1, outbox.lastSeq());
    }

    @Test
    void subscriptionsStopAtMaxSymbols() {
        Outbox outbox = new Outbox(board, 3, 8, BYTES);
        outbox.subscribe(null, List.of("*"), false);
        Subscribed subscribed = (Subscribed) flush(outbox, 0);
        assertEquals(List.of("AAPL", "MSFT", "NVDA"), subscribed.symbols());
        // One rejection for "*", not one for each of the 27 symbols that did not fit.
        assertEquals(List.of(new Rejection("*", RejectCode.SYMBOL_LIMIT)), subscribed.rejected());
        assertEquals(3, outbox.subscriptionCount());

        outbox.subscribe(null, List.of("AAPL"), true);       // already subscribed: nothing new, no snapshot
        Subscribed again = (Subscribed) flush(outbox, 1);
        assertEquals(List.of(), again.rejected());
        assertNull(outbox.next(2, null));
    }

    @Test
    void unsubscribeRemovesSymbolsAndStarRemovesAll() {
        Outbox outbox = new Outbox(board, 10, 8, BYTES);
        outbox.subscribe(null, List.of("AAPL", "MSFT", "NVDA"), false);
        flush(outbox, 0);
        outbox.unsubscribe(Json.createValue("u"), List.of("MSFT", "NOPE"));
        Unsubscribed unsubscribed = (Unsubscribed) flush(outbox, 1);
        assertEquals(List.of("AAPL", "NVDA"), unsubscribed.symbols());
        board.publish(quote("MSFT", 5));
        assertNull(flush(outbox, 2), "no ticks of an unsubscribed symbol");
        outbox.unsubscribe(null, List.of("*"));
        assertEquals(List.of(), ((Unsubscribed) flush(outbox, 3)).symbols());
        assertEquals(0, outbox.subscriptionCount());
    }

    @Test
    void repliesAreBounded() {
        Outbox outbox = new Outbox(board, 10, 4, BYTES);
        for (int i = 0; i < 4; i++) {
            assertTrue(outbox.reply(new Pong(null, 0, 0)));
        }
        assertFalse(outbox.reply(new Pong(null, 0, 0)));
        assertFalse(outbox.subscribe(null, List.of("AAPL"), true));
        assertEquals(4, outbox.pendingReplies());
    }

    @Test
    void aSubscribeToEverythingOfAHugeUniverseIsAnsweredCompactly() {
        Universe huge = Universe.standard(10_000, 1);
        QuoteBoard hugeBoard = new QuoteBoard(huge);
        Outbox outbox = new Outbox(hugeBoard, 200, 8, StreamConfig.defaults().maxPendingReplyBytes());
        assertTrue(outbox.subscribe(null, List.of("*"), false));
        Subscribed subscribed = (Subscribed) flush(outbox, 0);
        assertEquals(huge.symbols().subList(0, 200), subscribed.symbols());
        assertEquals(List.of(new Rejection("*", RejectCode.SYMBOL_LIMIT)), subscribed.rejected());
        String json = new dev.ticker.stream.protocol.SubscribedEncoder().encode(subscribed);
        assertTrue(json.length() < 3_000, json.length() + " bytes");
    }

    @Test
    void repliesAreBoundedInBytesToo() {
        // A client that keeps asking for snapshots without reading: each holds 30 quotes of about
        // 260 bytes; the byte budget refuses the next one long before the count does.
        long budget = 20_000;
        Outbox outbox = new Outbox(board, 30, 1000, budget);
        int accepted = 0;
        while (outbox.unsubscribe(null, List.of("*")) && outbox.subscribe(null, List.of("*"), true)) {
            accepted++;
            assertTrue(accepted < 100, "never refused");
        }
        assertTrue(accepted >= 1, "the first snapshot fits");
        assertTrue(outbox.pendingReplies() < 1000, "refused by bytes, not by count: " + outbox.pendingReplies());
        assertTrue(outbox.pendingReplyBytes() <= budget, outbox.pendingReplyBytes() + " bytes waiting");
        // What is waiting really is about what the budget says, once encoded.
        long encoded = 0;
        for (Event event = outbox.next(0, null); event != null; event = outbox.next(0, null)) {
            encoded += encode(event).length();
        }
        assertTrue(encoded <= budget, encoded + " bytes encoded");
        assertEquals(0, outbox.pendingReplyBytes(), "sent replies are no longer counted");
    }

    private static String encode(Event event) {
        if (event instanceof Subscribed s) {
            return new dev.ticker.stream.protocol.SubscribedEncoder().encode(s);
        } else if (event instanceof Unsubscribed u) {
            return new dev.ticker.stream.protocol.UnsubscribedEncoder().encode(u);
        } else if (event instanceof Snapshot s) {
            return new dev.ticker.stream.protocol.SnapshotEncoder().encode(s);
        }
        throw new AssertionError("not a reply here: " + event);
    }

    @Test
    void aFrameNeverHoldsMoreThanOneQuotePerSubscribedSymbolHoweverManyTicksPile() {
        Outbox outbox = new Outbox(board, 30, 8, BYTES);
        outbox.subscribe(null, List.of("*"), false);
        flush(outbox, 0);
        for (int i = 0; i < 100_000; i++) {
            board.publish(market.next());
        }
        Ticks ticks = (Ticks) flush(outbox, 1);
        assertEquals(30, ticks.data().size());
        for (int i = 0; i < universe.size(); i++) {
            String symbol = universe.get(i).symbol();
            String sent = ticks.data().quotes().stream().filter(q -> q.symbol().equals(symbol)).findFirst().orElseThrow().json();
            assertEquals(QuoteEncoder.toJson(market.current(i)), sent, "the latest quote of " + symbol);
        }
    }

    @Test
    void heartbeatIsStamped() {
        Outbox outbox = new Outbox(board, 10, 8, BYTES);
        Heartbeat heartbeat = (Heartbeat) outbox.heartbeat(77);
        assertEquals(1, heartbeat.seq());
        assertEquals(77, heartbeat.ts());
    }

    private Quote quote(String symbol, long price) {
        Quote q = market.current(universe.indexOf(symbol));
        return new Quote(symbol, price, price - 1, price + 1, 100, 100, 100, q.volume(), q.openCents(),
                Math.max(q.highCents(), price), Math.min(q.lowCents(), price), q.prevCloseCents(),
                price - q.prevCloseCents(), 0, q.ts());
    }

    private static List<String> symbols(List<EncodedQuote> data) {
        return data.stream().map(EncodedQuote::symbol).collect(Collectors.toList());
    }

    private static long ts(EncodedQuote quote) {
        return Long.parseLong(quote.json().replaceAll(".*\"ts\":(\\d+).*", "$1"));
    }
}
