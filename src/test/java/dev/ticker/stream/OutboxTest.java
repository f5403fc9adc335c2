package dev.ticker.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ticker.market.Market;
import dev.ticker.market.MarketConfig;
import dev.ticker.market.Quote;
import dev.ticker.market.Universe;
import dev.ticker.stream.protocol.EncodedQuote;
import dev.ticker.stream.protocol.Event;
import dev.ticker.stream.protocol.Heartbeat;
import dev.ticker.stream.protocol.Pong;
import dev.ticker.stream.protocol.RejectCode;
import dev.ticker.stream.protocol.Rejection;
import dev.ticker.stream.protocol.Snapshot;
import dev.ticker.stream.protocol.Subscribed;
import dev.ticker.stream.protocol.Ticks;
import dev.ticker.stream.protocol.Unsubscribed;
import jakarta.json.Json;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboxTest {

    private Universe universe;
    private Market market;
    private QuoteBoard board;

    @BeforeEach
    void board() {
        universe = Universe.standard(30, 1);
        market = new Market(universe, MarketConfig.defaults(1), 0);
        board = new QuoteBoard(universe);
        for (int i = 0; i < universe.size(); i++) {
            board.publish(market.current(i));
        }
    }

    @Test
    void subscribeQueuesSubscribedThenSnapshotThenNothingUntilATick() {
        Outbox outbox = new Outbox(board, 10, 8);
        assertTrue(outbox.subscribe(Json.createValue(1), List.of("MSFT", "AAPL", "NOPE"), true));

        Subscribed subscribed = assertInstanceOf(Subscribed.class, outbox.next(100, true));
        assertEquals(1, subscribed.seq());
        assertEquals(100, subscribed.ts());
        assertEquals(List.of("AAPL", "MSFT"), subscribed.symbols());
        assertEquals(List.of(new Rejection("NOPE", RejectCode.UNKNOWN_SYMBOL)), subscribed.rejected());

        Snapshot snapshot = assertInstanceOf(Snapshot.class, outbox.next(101, true));
        assertEquals(2, snapshot.seq());
        assertEquals(List.of("MSFT", "AAPL"), symbols(snapshot.data()));

        assertNull(outbox.next(102, true), "the snapshot is the latest: no ticks yet");
    }

    @Test
    void ticksAreConflatedToTheLatestQuotePerSymbolAndOnlySubscribedOnes() {
        Outbox outbox = new Outbox(board, 10, 8);
        outbox.subscribe(null, List.of("AAPL"), false);
        outbox.next(0, true);                               // subscribed

        Quote latest = null;
        for (int i = 0; i < 5; i++) {
            latest = quote("AAPL", 100 + i);
            board.publish(latest);
            board.publish(quote("MSFT", 200 + i));
        }
        Ticks ticks = assertInstanceOf(Ticks.class, outbox.next(10, true));
        assertEquals(1, ticks.data().size(), "five AAPL updates, one quote");
        assertSame(latest, ticks.data().get(0).quote());
        assertEquals(2, ticks.seq());
        assertNull(outbox.next(11, true));
    }

    @Test
    void repliesGoBeforeTicksAndTicksWaitWhenNotAskedFor() {
        Outbox outbox = new Outbox(board, 10, 8);
        outbox.subscribe(null, List.of("AAPL"), false);
        outbox.next(0, true);
        board.publish(quote("AAPL", 1));
        outbox.reply(new Pong(Json.createValue("p"), 0, 0));
        assertInstanceOf(Pong.class, outbox.next(1, false));
        assertNull(outbox.next(2, false), "ticks only go out on a flush");
        assertInstanceOf(Ticks.class, outbox.next(3, true));
    }

    @Test
    void seqCountsEveryFrameWithoutGaps() {
        Outbox outbox = new Outbox(board, 10, 8);
        outbox.subscribe(null, List.of("*"), true);
        long expected = 1;
        for (int i = 0; i < 50; i++) {
            board.publish(market.next());
            Event event = i % 7 == 0 ? outbox.heartbeat(i) : outbox.next(i, true);
            if (event != null) {
                assertEquals(expected++, event.seq());
            }
        }
        assertEquals(expected - 1, outbox.lastSeq());
    }

    @Test
    void subscriptionsStopAtMaxSymbols() {
        Outbox outbox = new Outbox(board, 3, 8);
        outbox.subscribe(null, List.of("*"), false);
        Subscribed subscribed = (Subscribed) outbox.next(0, true);
        assertEquals(List.of("AAPL", "MSFT", "NVDA"), subscribed.symbols());
        assertEquals(27, subscribed.rejected().size());
        assertTrue(subscribed.rejected().stream().allMatch(r -> r.code() == RejectCode.SYMBOL_LIMIT));
        assertEquals(3, outbox.subscriptionCount());

        outbox.subscribe(null, List.of("AAPL"), true);       // already subscribed: nothing new, no snapshot
        Subscribed again = (Subscribed) outbox.next(1, true);
        assertEquals(List.of(), again.rejected());
        assertNull(outbox.next(2, false));
    }

    @Test
    void unsubscribeRemovesSymbolsAndStarRemovesAll() {
        Outbox outbox = new Outbox(board, 10, 8);
        outbox.subscribe(null, List.of("AAPL", "MSFT", "NVDA"), false);
        outbox.next(0, true);
        outbox.unsubscribe(Json.createValue("u"), List.of("MSFT", "NOPE"));
        Unsubscribed unsubscribed = (Unsubscribed) outbox.next(1, true);
        assertEquals(List.of("AAPL", "NVDA"), unsubscribed.symbols());
        board.publish(quote("MSFT", 5));
        assertNull(outbox.next(2, true), "no ticks of an unsubscribed symbol");
        outbox.unsubscribe(null, List.of("*"));
        assertEquals(List.of(), ((Unsubscribed) outbox.next(3, true)).symbols());
        assertEquals(0, outbox.subscriptionCount());
    }

    @Test
    void repliesAreBounded() {
        Outbox outbox = new Outbox(board, 10, 4);
        for (int i = 0; i < 4; i++) {
            assertTrue(outbox.reply(new Pong(null, 0, 0)));
        }
        assertFalse(outbox.reply(new Pong(null, 0, 0)));
        assertFalse(outbox.subscribe(null, List.of("AAPL"), true));
        assertEquals(4, outbox.pendingReplies());
    }

    @Test
    void aFrameNeverHoldsMoreThanOneQuotePerSubscribedSymbolHoweverManyTicksPile() {
        Outbox outbox = new Outbox(board, 30, 8);
        outbox.subscribe(null, List.of("*"), false);
        outbox.next(0, true);
        for (int i = 0; i < 100_000; i++) {
            board.publish(market.next());
        }
        Ticks ticks = (Ticks) outbox.next(1, true);
        assertEquals(30, ticks.data().size());
        for (int i = 0; i < universe.size(); i++) {
            String symbol = universe.get(i).symbol();
            Quote sent = ticks.data().stream().filter(q -> q.quote().symbol().equals(symbol)).findFirst().orElseThrow().quote();
            assertSame(market.current(i), sent, "the latest quote of " + symbol);
        }
    }

    @Test
    void heartbeatIsStamped() {
        Outbox outbox = new Outbox(board, 10, 8);
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
        return data.stream().map(q -> q.quote().symbol()).collect(Collectors.toList());
    }
}
