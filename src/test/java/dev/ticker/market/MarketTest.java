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

    /**
     * A market restored from a snapshot (its prices, clocks, session figures and generators)
     * continues exactly as the original does: the same quotes, in the same order, for as long as
     * one looks. What a successor needs to take over a market without a jump.
     */
    @Test
    void aRestoredMarketContinuesExactlyWhereItsSnapshotWasTaken() {
        Universe universe = Universe.standard(40, 9);
        MarketConfig config = new MarketConfig(40, 9, 4, 60);
        Market original = new Market(universe, config, START);
        for (int i = 0; i < 10_000; i++) {
            original.next();
        }
        List<Market.SymbolSnapshot> snapshot = original.snapshot();
        Market restored = Market.restore(universe, config, START, snapshot);
        assertEquals(original.nextMillis(), restored.nextMillis());
        for (int i = 0; i < universe.size(); i++) {
            assertEquals(original.current(i), restored.current(i));
        }
        for (int i = 0; i < 20_000; i++) {
            assertEquals(original.next(), restored.next(), "trade " + i + " after the snapshot");
        }
        assertEquals(snapshot, Market.restore(universe, config, START, snapshot).snapshot(), "restoring changes nothing");
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
     * The price process: pooled over many symbols, each log return {@code r} over {@code dt} years
     * is {@code (a - reversion (x - log prevClose)) dt} plus noise of variance {@code vol^2 dt},
     * with {@code a = drift - vol^2/2}: GBM with the instrument's drift and volatility, pulled back
     * towards its price over years. A least-squares fit of {@code r / sqrt(dt)} on
     * {@code sqrt(dt)} and {@code (x - log prevClose) sqrt(dt)} recovers {@code a} and the reversion,
     * and the residuals the variance.
     */
    @Test
    void logReturnsHaveTheConfiguredDriftVolatilityAndReversion() {
        double vol = 0.30;
        double drift = 0.10;
        double a = drift - vol * vol / 2;
        double reversion = Market.reversion(vol, a);
        int symbols = 200;
        List<Instrument> instruments = new ArrayList<>();
        for (int i = 0; i < symbols; i++) {
            instruments.add(new Instrument("S" + i, "Test " + i, 100_00, vol, drift));
        }
        // One trade per real second on average, and one real second is one trading day.
        double timeScale = MarketConfig.TRADING_SECONDS_PER_YEAR / 252;
        Market market = new Market(new Universe(instruments), new MarketConfig(symbols, 99, 1, timeScale), START);
        double anchor = Math.log(100_00);
        double[] lastLog = new double[symbols];
        long[] lastTs = new long[symbols];
        for (int i = 0; i < symbols; i++) {
            lastLog[i] = Math.log(market.current(i).priceCents());
            lastTs[i] = START;
        }
        // Normal equations of y = b1 u + b2 v, with u = sqrt(dt), v = (x - anchor) sqrt(dt), y = r / sqrt(dt).
        double uu = 0, uv = 0, vv = 0, uy = 0, vy = 0, yy = 0;
        double years = 0;
        int steps = 1_000_000;     // 5,000 days per symbol: 20 years each, 4,000 pooled
        for (int n = 0; n < steps; n++) {
            Quote q = market.next();
            int i = Integer.parseInt(q.symbol().substring(1));
            double log = Math.log(q.priceCents());
            double dt = (q.ts() - lastTs[i]) / 1000.0 / 252;
            if (dt > 0) {
                double root = Math.sqrt(dt);
                double u = root;
                double v = (lastLog[i] - anchor) * root;
                double y = (log - lastLog[i]) / root;
                uu += u * u;
                uv += u * v;
                vv += v * v;
                uy += u * y;
                vy += v * y;
                yy += y * y;
                years += dt;
            }
            lastLog[i] = log;
            lastTs[i] = q.ts();
        }
        double det = uu * vv - uv * uv;
        double fittedA = (vv * uy - uv * vy) / det;
        double fittedReversion = -(uu * vy - uv * uy) / det;
        double residual = yy - fittedA * uy + fittedReversion * vy;      // sum of squared residuals
        double variance = residual / steps;                               // per year (y is scaled by sqrt(dt))
        // Standard errors from the fit: var(b) = vol^2 (X'X)^-1.
        double seA = vol * Math.sqrt(vv / det);
        double seReversion = vol * Math.sqrt(uu / det);
        assertTrue(years > 3_900, "years simulated: " + years);
        assertEquals(a, fittedA, 4 * seA, "annual drift of the log price near its anchor");
        assertEquals(reversion, fittedReversion, 4 * seReversion, "annual reversion");
        assertEquals(vol * vol, variance, vol * vol * 0.02, "annual variance of log returns");
    }

    /**
     * However long the market runs and at whatever time scale, prices stay in a plausible band
     * around each instrument's price (here: within 50 times either way; the process keeps the log
     * price within 0.5 + 5 x 0.5 of its anchor but for a one-in-millions draw), never stick at a
     * cent or overflow, and every quote invariant holds: 200 simulated years at the largest time
     * scale, 50 at the default one.
     */
    @Test
    void pricesStayInABandAndEveryInvariantHoldsForDecades() {
        assertBandAndInvariants(new MarketConfig(30, 11, 1, 1_000_000), 200);
        assertBandAndInvariants(new MarketConfig(30, 12, 0.001, 60), 50);
        assertBandAndInvariants(new MarketConfig(30, 13, 0.000_1, 1), 50);
    }

    private static void assertBandAndInvariants(MarketConfig config, double years) {
        Universe universe = Universe.standard(config.symbols(), config.seed());
        Market market = new Market(universe, config, START);
        long end = START + (long) (years * MarketConfig.TRADING_SECONDS_PER_YEAR / config.timeScale() * 1000);
        Map<String, Long> volume = new HashMap<>();
        long trades = 0;
        while (market.nextMillis() < end) {
            Quote q = market.next();
            trades++;
            Instrument instrument = universe.get(universe.indexOf(q.symbol()));
            double ratio = (double) q.priceCents() / instrument.prevCloseCents();
            assertTrue(ratio > 1.0 / 50 && ratio < 50, () -> "out of the band after " + years + " years: " + q);
            assertTrue(q.bidCents() >= 1 && q.bidCents() < q.askCents(), () -> "bid/ask: " + q);
            assertTrue(q.lowCents() <= q.priceCents() && q.priceCents() <= q.highCents(), () -> "outside low..high: " + q);
            assertTrue(q.volume() >= volume.getOrDefault(q.symbol(), 0L) + q.lastSize(), () -> "volume: " + q);
            volume.put(q.symbol(), q.volume());
        }
        assertTrue(trades > 1_000 * config.symbols(), "trades simulated: " + trades);
        for (int i = 0; i < universe.size(); i++) {
            Quote last = market.current(i);
            assertTrue(last.highCents() < Long.MAX_VALUE / 1000 && last.lowCents() > 1, () -> "saturated: " + last);
        }
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
