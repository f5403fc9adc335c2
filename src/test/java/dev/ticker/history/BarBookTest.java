package dev.ticker.history;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ticker.market.Market;
import dev.ticker.market.MarketConfig;
import dev.ticker.market.MarketStatus;
import dev.ticker.market.Quote;
import dev.ticker.market.Universe;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BarBookTest {

    private static final long START = 1_763_712_000_000L;

    /**
     * Bars of every symbol, for the current and the previous session, equal an aggregation of the
     * same trades written independently (by the minute each trade's ts falls in), and each
     * session's bar volumes add up to the market's own session volume.
     */
    @Test
    void barsEqualAnIndependentAggregationOfTheTrades() {
        MarketConfig config = new MarketConfig(12, 5, 4, 60, 30, 10);     // 30 s open, 10 s closed
        Universe universe = Universe.standard(12, 5);
        Market market = new Market(universe, config, START);
        BarBook book = new BarBook(universe, market.calendar());
        // symbol -> session -> minute -> {open, high, low, close, volume}
        Map<String, Map<Long, TreeMap<Integer, long[]>>> expected = new HashMap<>();
        Map<String, Quote> last = new HashMap<>();
        long end = START + 215_000;                       // five sessions and part of a sixth
        while (market.nextMillis() < end) {
            Quote q = market.next();
            book.record(universe.indexOf(q.symbol()), q.priceCents(), q.lastSize(), q.ts());
            MarketStatus status = market.calendar().at(q.ts());
            int minute = (int) ((q.ts() - status.opensAt()) * 60 / 60_000);
            long[] bar = expected.computeIfAbsent(q.symbol(), s -> new HashMap<>())
                    .computeIfAbsent(status.session(), s -> new TreeMap<>())
                    .computeIfAbsent(minute, m -> new long[] {q.priceCents(), q.priceCents(), q.priceCents(), 0, 0});
            bar[1] = Math.max(bar[1], q.priceCents());
            bar[2] = Math.min(bar[2], q.priceCents());
            bar[3] = q.priceCents();
            bar[4] += q.lastSize();
            last.put(q.symbol(), q);
        }
        long now = end;
        long current = market.calendar().at(now).session();
        assertEquals(5, current);
        for (int i = 0; i < universe.size(); i++) {
            String symbol = universe.get(i).symbol();
            for (boolean previous : new boolean[] {false, true}) {
                Bars bars = book.bars(i, previous, now);
                long session = previous ? current - 1 : current;
                assertEquals(session, bars.session());
                assertEquals(market.calendar().toMillis(market.calendar().openOf(session)), bars.opensAt());
                TreeMap<Integer, long[]> want = expected.get(symbol).getOrDefault(session, new TreeMap<>());
                List<Integer> minutes = new ArrayList<>(want.keySet());
                assertEquals(minutes.size(), bars.size(), symbol + " session " + session);
                long volume = 0;
                for (int b = 0; b < bars.size(); b++) {
                    assertEquals(minutes.get(b), bars.minutes()[b]);
                    assertArrayEquals(want.get(minutes.get(b)), new long[] {bars.open(b), bars.high(b), bars.low(b),
                            bars.close(b), bars.volume(b)}, symbol + " minute " + minutes.get(b));
                    assertEquals(bars.opensAt() + minutes.get(b) * 1000L, bars.start(b));
                    volume += bars.volume(b);
                }
                if (!previous) {
                    assertEquals(last.get(symbol).volume(), volume, symbol + ": bar volumes add up to the session's volume");
                }
                assertTrue(bars.size() <= config.sessionMinutes());
            }
        }
    }

    @Test
    void aSymbolThatHasNotTradedInASessionHasNoBarsForIt() {
        MarketConfig config = new MarketConfig(3, 5, 4, 60, 30, 10);
        Universe universe = Universe.standard(3, 5);
        Market market = new Market(universe, config, START);
        BarBook book = new BarBook(universe, market.calendar());
        book.record(0, 100_00, 100, START + 1_000);
        assertEquals(1, book.bars(0, false, START + 2_000).size());
        assertEquals(0, book.bars(0, true, START + 2_000).size(), "no session before the first");
        assertEquals(0, book.bars(1, false, START + 2_000).size());
        // The next session: the first is now the previous one, and the current has nothing yet.
        assertEquals(0, book.bars(0, false, START + 41_000).size());
        assertEquals(1, book.bars(0, true, START + 41_000).size());
        // Two sessions on without a trade: nothing kept of either.
        assertEquals(0, book.bars(0, true, START + 81_000).size());
    }
}
