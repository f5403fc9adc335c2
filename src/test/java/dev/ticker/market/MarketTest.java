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
        // Sessions of 5 real seconds with 2 closed: the 20,000 trades after the snapshot cross
        // about 15 closes and opens.
        MarketConfig config = new MarketConfig(40, 9, 4, 60, 5, 2);
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

    /**
     * Every quote's invariants, and the session roll: nothing trades while the market is closed;
     * each symbol's first print of a session is at the open, its {@code prevClose} is the
     * symbol's last trade of the session before, and open, high, low and volume start from that
     * print alone. Sessions of 10 real seconds with 5 closed: about 55 rolls.
     */
    @Test
    void invariantsHoldOnEveryQuoteAndEverySessionStartsAfresh() {
        MarketConfig config = new MarketConfig(60, 7, 4, 60, 10, 5);
        Market market = new Market(Universe.standard(60, 7), config, START);
        TradingCalendar calendar = market.calendar();
        Map<String, Quote> last = new HashMap<>();
        Map<String, Long> sessionOf = new HashMap<>();
        long lastTs = START;
        int rolls = 0;
        for (int i = 0; i < 200_000; i++) {
            Quote q = market.next();
            assertTrue(q.bidCents() < q.askCents(), () -> "bid >= ask: " + q);
            assertTrue(q.bidCents() >= 1, () -> "bid under a cent: " + q);
            assertTrue(q.lowCents() <= q.priceCents() && q.priceCents() <= q.highCents(), () -> "outside low..high: " + q);
            assertTrue(q.lowCents() <= q.openCents() && q.openCents() <= q.highCents(), () -> "open outside low..high: " + q);
            assertEquals(q.priceCents() - q.prevCloseCents(), q.changeCents());
            assertEquals(Math.round(q.changeCents() * 10_000.0 / q.prevCloseCents()), q.changeBasisPoints());
            assertTrue(q.lastSize() > 0 && q.bidSize() > 0 && q.askSize() > 0);
            assertTrue(q.ts() >= lastTs, "time never goes backwards");
            lastTs = q.ts();
            MarketStatus status = calendar.at(q.ts());
            assertTrue(status.open(), () -> "traded while closed: " + q + " in " + status);
            Quote before = last.get(q.symbol());
            long session = status.session();
            if (before != null && session == sessionOf.get(q.symbol())) {
                assertTrue(q.volume() == before.volume() + q.lastSize(), () -> "volume is not the sum of the trades: " + q);
                assertEquals(before.prevCloseCents(), q.prevCloseCents(), "prevClose within a session");
                assertEquals(before.openCents(), q.openCents(), "open within a session");
                assertEquals(Math.max(before.highCents(), q.priceCents()), q.highCents());
                assertEquals(Math.min(before.lowCents(), q.priceCents()), q.lowCents());
            } else if (before != null) {
                rolls++;
                assertEquals(status.opensAt(), q.ts(), () -> "the first print of a session is at its open: " + q);
                assertEquals(before.priceCents(), q.prevCloseCents(), () -> "prevClose is the last trade before: " + q);
                assertEquals(q.lastSize(), q.volume(), () -> "volume starts from the opening print: " + q);
                assertTrue(q.openCents() == q.priceCents() && q.highCents() == q.priceCents() && q.lowCents() == q.priceCents(),
                        () -> "open, high and low start from the opening print: " + q);
            }
            last.put(q.symbol(), q);
            sessionOf.put(q.symbol(), session);
        }
        assertEquals(60, last.size(), "every symbol traded");
        assertTrue(rolls > 50 * 60, "session rolls seen: " + rolls);
    }

    /** Trades arrive at the configured rate per second the market is open; none while it is closed. */
    @Test
    void theRateHoldsWhileOpenAndNothingTradesWhileClosed() {
        MarketConfig config = new MarketConfig(10, 1, 4, 60, 30, 30);   // 30 real seconds open, 30 closed
        Market market = new Market(Universe.standard(10, 1), config, START);
        int trades = 200_000;
        for (int i = 0; i < trades; i++) {
            market.next();
        }
        double seconds = (market.nextMillis() - START) / 1000.0;
        // Half the time open (opening auctions, 10 a session, are a few in a thousand prints).
        assertEquals(4, trades / (seconds / 2) / 10, 4 * 0.02);
    }

    /**
     * A market paused across a close (a cluster's successor that took over after a long gap)
     * keeps the calendar: it never trades while closed, and resumes at an open.
     */
    @Test
    void aPauseNeverMakesTheMarketTradeWhileClosed() {
        MarketConfig config = new MarketConfig(20, 4, 4, 60, 5, 3);
        Market market = new Market(Universe.standard(20, 4), config, START);
        for (int pause = 0; pause < 40; pause++) {
            for (int i = 0; i < 500; i++) {
                Quote q = market.next();
                assertTrue(market.calendar().at(q.ts()).open(), () -> "traded while closed: " + q);
            }
            market.pause(700L * pause);
        }
    }

    @Test
    void tradesArriveAsAPoissonProcessAtTheConfiguredRate() {
        double rate = 4;
        // A market that never closes (its daily opening prints are 10 in 94,000).
        Market market = new Market(Universe.standard(10, 1), new MarketConfig(10, 1, rate, 60, 390, 0), START);
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
        // One trade per real second on average, and one real second is one trading day. Sessions of
        // a whole day that never close: every 3.7 real seconds an opening print, whose step is
        // the same process's.
        double timeScale = MarketConfig.TRADING_SECONDS_PER_YEAR / 252;
        Market market = new Market(new Universe(instruments), new MarketConfig(symbols, 99, 1, timeScale, 1440, 0), START);
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
        int steps = 1_300_000;     // 5,100 days per symbol: 20 years each, 4,000 pooled
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
        TradingCalendar calendar = market.calendar();
        // A trading year of sessions, and the closed periods between them.
        double realSecondsPerYear = MarketConfig.TRADING_SECONDS_PER_YEAR / config.timeScale()
                * (config.sessionMinutes() + config.closedMinutes()) / config.sessionMinutes();
        long end = START + (long) (years * realSecondsPerYear * 1000);
        Map<String, Long> volume = new HashMap<>();
        Map<String, Long> sessions = new HashMap<>();
        long trades = 0;
        while (market.nextMillis() < end) {
            Quote q = market.next();
            trades++;
            Instrument instrument = universe.get(universe.indexOf(q.symbol()));
            double ratio = (double) q.priceCents() / instrument.prevCloseCents();
            assertTrue(ratio > 1.0 / 50 && ratio < 50, () -> "out of the band after " + years + " years: " + q);
            assertTrue(q.bidCents() >= 1 && q.bidCents() < q.askCents(), () -> "bid/ask: " + q);
            assertTrue(q.lowCents() <= q.priceCents() && q.priceCents() <= q.highCents(), () -> "outside low..high: " + q);
            long session = calendar.at(q.ts()).session();
            Long seen = sessions.get(q.symbol());
            if (seen == null) {
                assertTrue(q.volume() >= q.lastSize(), () -> "volume: " + q);     // the first session opened with an auction
            } else {
                long before = session == seen ? volume.get(q.symbol()) : 0;
                assertTrue(q.volume() == before + q.lastSize(), () -> "volume: " + q);
            }
            volume.put(q.symbol(), q.volume());
            sessions.put(q.symbol(), session);
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
