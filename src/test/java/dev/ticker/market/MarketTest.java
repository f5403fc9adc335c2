package dev.ticker.market;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarketTest {

    private static final long START = 1_763_712_000_000L;

    @Test
    void sameSeedReplaysTheSameQuotes() {
        assertEquals(run(42, 20_000), run(42, 20_000));
    }

    @Test
    void differentSeedsGiveDifferentQuotes() {
        assertNotEquals(run(42, 1_000), run(43, 1_000));
    }

    @Test
    void invariantsHoldOnEveryQuote() {
        Market market = new Market(Universe.standard(60, 7), new MarketConfig(60, 7, 4, 60), START);
        Map<String, Long> volume = new HashMap<>();
        long lastTs = START;
        for (int i = 0; i < 200_000; i++) {
            Quote q = market.next();
            assertTrue(q.bidCents() < q.askCents(), () -> "bid >= ask: " + q);
            assertTrue(q.bidCents() >= 1, () -> "bid under a cent: " + q);
            assertTrue(q.lowCents() <= q.priceCents() && q.priceCents() <= q.highCents(), () -> "outside low..high: " + q);
            assertTrue(q.lowCents() <= q.openCents() && q.openCents() <= q.highCents(), () -> "open outside low..high: " + q);
            assertEquals(q.priceCents() - q.prevCloseCents(), q.changeCents());
            assertEquals(Math.round(q.changeCents() * 10_000.0 / q.prevCloseCents()), q.changeBasisPoints());
            assertTrue(q.lastSize() > 0 && q.bidSize() > 0 && q.askSize() > 0);
            long before = volume.getOrDefault(q.symbol(), 0L);
            assertTrue(q.volume() >= before + q.lastSize(), () -> "volume went down: " + q);
            volume.put(q.symbol(), q.volume());
            assertTrue(q.ts() >= lastTs, "time never goes backwards");
            lastTs = q.ts();
        }
        assertEquals(60, volume.size(), "every symbol traded");
    }

    @Test
    void tradesArriveAsAPoissonProcessAtTheConfiguredRate() {
        double rate = 4;
        Market market = new Market(Universe.standard(10, 1), new MarketConfig(10, 1, rate, 60), START);
        int trades = 400_000;
        for (int i = 0; i < trades; i++) {
            market.next();
        }
        double seconds = (market.nextMillis() - START) / 1000.0;
        double perSymbolPerSecond = trades / seconds / 10;
        // Poisson count over ~10,000 s: relative sd ~ 1/sqrt(400,000) = 0.16 %.
        assertEquals(rate, perSymbolPerSecond, rate * 0.01);
    }

    /**
     * The price process is GBM with the instrument's drift and volatility: pooled over many
     * symbols, log returns per year have mean drift - vol^2/2 and variance vol^2.
     */
    @Test
    void logReturnsHaveTheConfiguredDriftAndVolatility() {
        double vol = 0.30;
        double drift = 0.10;
        int symbols = 200;
        List<Instrument> instruments = new ArrayList<>();
        for (int i = 0; i < symbols; i++) {
            instruments.add(new Instrument("S" + i, "Test " + i, 100_00, vol, drift));
        }
        // One trade per real second on average, and one real second is one trading day.
        double timeScale = MarketConfig.TRADING_SECONDS_PER_YEAR / 252;
        Market market = new Market(new Universe(instruments), new MarketConfig(symbols, 99, 1, timeScale), START);
        double[] lastLog = new double[symbols];
        long[] lastTs = new long[symbols];
        for (int i = 0; i < symbols; i++) {
            lastLog[i] = Math.log(market.current(i).priceCents());
            lastTs[i] = START;
        }
        double sumReturns = 0;
        double sumSquares = 0;
        double years = 0;
        int steps = 1_000_000;     // 5,000 days per symbol: 20 years each, 4,000 pooled
        for (int n = 0; n < steps; n++) {
            Quote q = market.next();
            int i = Integer.parseInt(q.symbol().substring(1));
            double log = Math.log(q.priceCents());
            double r = log - lastLog[i];
            sumReturns += r;
            sumSquares += r * r;
            years += (q.ts() - lastTs[i]) / 1000.0 / 252;
            lastLog[i] = log;
            lastTs[i] = q.ts();
        }
        double meanPerYear = sumReturns / years;
        double variancePerYear = sumSquares / years;
        // Standard errors: mean vol/sqrt(years) = 0.0047; variance ~ vol^2 * sqrt(2/steps) = 0.00013.
        double meanSe = vol / Math.sqrt(years);
        assertEquals(drift - vol * vol / 2, meanPerYear, 4 * meanSe, "annual mean log return");
        assertEquals(vol * vol, variancePerYear, vol * vol * 0.02, "annual variance of log returns");
    }

    @Test
    void pricesAreInWholeCentsAndStartNearThePreviousClose() {
        Universe universe = Universe.standard(30, 5);
        Market market = new Market(universe, MarketConfig.defaults(5), START);
        for (int i = 0; i < universe.size(); i++) {
            Quote open = market.current(i);
            double gap = Math.abs(Math.log((double) open.openCents() / universe.get(i).prevCloseCents()));
            assertTrue(gap < 0.1, () -> "opening gap too large: " + open);
            assertEquals(open.openCents(), open.priceCents());
        }
    }

    private static List<Quote> run(long seed, int count) {
        Market market = new Market(Universe.standard(40, seed), new MarketConfig(40, seed, 4, 60), START);
        List<Quote> quotes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            quotes.add(market.next());
        }
        return quotes;
    }
}
