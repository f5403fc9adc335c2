package dev.ticker.market;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A deterministic discrete-event simulation of a market. Each symbol trades at the arrivals of its
 * own Poisson process; between trades its log price {@code x} follows
 * {@code dx = (drift - volatility^2/2 - reversion (x - log prevClose)) dt + volatility dW}: over days
 * and months geometric Brownian motion with the instrument's drift and volatility, and over years
 * pulled back towards the instrument's price, so that however long the server runs (at the largest
 * time scale, a real day is thousands of simulated years) prices stay in a plausible band instead
 * of drifting to a cent or to overflow. {@code reversion = max(2 volatility^2, 2 |drift -
 * volatility^2/2|)} per year keeps the long-run spread of the log price at 0.5 and its centre
 * within 0.5 of the instrument's: a price settles within about 20 times either way of it. The
 * process is simulated exactly (Ornstein-Uhlenbeck) in log space and then rounded to the 0.01
 * tick. Every random draw comes from one seed, split per symbol, so the same seed and start time
 * give the same sequence of quotes on every run and machine; and the whole state can be
 * {@link #snapshot() saved} and {@link #restore restored}, so that a market handed over continues
 * exactly as if it had never stopped.
 *
 * <p>Not thread safe: one thread (the {@link MarketFeed}) advances it.
 */
public final class Market {

    private final Universe universe;
    private final MarketConfig config;
    private final long startMillis;
    private final SymbolState[] states;
    private final PriorityQueue<SymbolState> schedule;

    /** A market whose session opens at {@code startMillis} (epoch ms), trading {@code universe}. */
    public Market(Universe universe, MarketConfig config, long startMillis) {
        this(universe, config, startMillis, null);
    }

    private Market(Universe universe, MarketConfig config, long startMillis, List<SymbolSnapshot> saved) {
        this.universe = universe;
        this.config = config;
        this.startMillis = startMillis;
        this.states = new SymbolState[universe.size()];
        // Ties on time are broken by index, so the order never depends on the heap's internals.
        this.schedule = new PriorityQueue<>(Math.max(1, universe.size()), (a, b) -> {
            int byTime = Double.compare(a.nextTime, b.nextTime);
            return byTime != 0 ? byTime : Integer.compare(a.index, b.index);
        });
        SplitMix64 root = new SplitMix64(config.seed());
        for (int i = 0; i < states.length; i++) {
            // Each symbol's own stream, seeded from the root's: independent of the universe's size.
            states[i] = new SymbolState(i, universe.get(i), new SplitMix64(root.nextLong()));
            if (saved != null) {
                states[i].restore(saved.get(i));
            }
            schedule.add(states[i]);
        }
    }

    /**
     * The market {@code snapshot} was taken of, continuing exactly where it was: the same quotes
     * follow, in the same order. {@code universe}, {@code config} and {@code startMillis} must be
     * the ones it was made with.
     */
    public static Market restore(Universe universe, MarketConfig config, long startMillis, List<SymbolSnapshot> snapshot) {
        if (snapshot.size() != universe.size()) {
            throw new IllegalArgumentException("a snapshot of " + snapshot.size() + " symbols for a universe of " + universe.size());
        }
        return new Market(universe, config, startMillis, snapshot);
    }

    /** Everything that decides the market's future, symbol by symbol in universe order. */
    public List<SymbolSnapshot> snapshot() {
        List<SymbolSnapshot> snapshot = new ArrayList<>(states.length);
        for (SymbolState state : states) {
            snapshot.add(state.snapshot());
        }
        return List.copyOf(snapshot);
    }

    /** The state of the symbol at {@code index} alone: what changed when it last traded. */
    public SymbolSnapshot snapshot(int index) {
        return states[index].snapshot();
    }

    /**
     * Delays every future trade by {@code millis}, as if the market had been halted that long: the
     * next trades are as likely as before, only later. For a successor that took over after a gap
     * too long to replay.
     */
    public void pause(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("negative pause: " + millis);
        }
        double seconds = millis / 1000.0;
        schedule.clear();
        for (SymbolState state : states) {
            state.lastTime += seconds;
            state.nextTime += seconds;
            schedule.add(state);
        }
    }

    /**
     * One symbol's state: its exact log price, the times (simulated seconds since the open) of its
     * last and next trades, the session's open, high, low and volume, its generator's state and
     * its latest quote.
     */
    public record SymbolSnapshot(double logPrice, double lastTime, double nextTime, long open, long high, long low,
                                 long volume, long random, Quote quote) {
    }

    public Universe universe() {
        return universe;
    }

    public MarketConfig config() {
        return config;
    }

    /** Epoch milliseconds of the next trade. */
    public long nextMillis() {
        return toMillis(schedule.element().nextTime);
    }

    /** Advances to the next trade in time order and returns the quote it produced. */
    public Quote next() {
        SymbolState state = schedule.remove();
        state.trade();
        schedule.add(state);
        return state.quote;
    }

    /** The latest quote of the symbol at {@code index}; before its first trade, its opening quote. */
    public Quote current(int index) {
        return states[index].quote;
    }

    private long toMillis(double seconds) {
        return startMillis + (long) Math.floor(seconds * 1000);
    }

    /** Per-symbol state: its random stream, exact log price and the session statistics. */
    private final class SymbolState {
        final int index;
        final Instrument instrument;
        SplitMix64 random;
        final double logDriftPerYear;
        final double volatility;
        final double anchor;          // log of the instrument's price, where reversion pulls
        final double reversion;       // per year
        double logPrice;      // natural log of the exact price in cents
        double lastTime;      // seconds since the open of the last trade
        double nextTime;      // seconds since the open of the next trade
        long open;
        long high;
        long low;
        long volume;
        Quote quote;

        SymbolState(int index, Instrument instrument, SplitMix64 random) {
            this.index = index;
            this.instrument = instrument;
            this.random = random;
            this.volatility = instrument.volatility();
            this.logDriftPerYear = instrument.drift() - volatility * volatility / 2;
            this.anchor = Math.log(instrument.prevCloseCents());
            this.reversion = reversion(volatility, logDriftPerYear);
            // The overnight gap: a half day's worth of volatility between yesterday's close and the open.
            double gap = volatility * Math.sqrt(0.5 / 252) * random.nextGaussian();
            this.logPrice = anchor + gap;
            long price = cents(logPrice);
            this.open = price;
            this.high = price;
            this.low = price;
            this.volume = 100L * (10 + random.nextInt(500));   // the opening auction
            this.quote = quote(price, 100 * (1 + random.nextInt(10)), toMillis(0));
            this.nextTime = interval();
        }

        SymbolSnapshot snapshot() {
            return new SymbolSnapshot(logPrice, lastTime, nextTime, open, high, low, volume, random.state(), quote);
        }

        void restore(SymbolSnapshot saved) {
            if (!saved.quote().symbol().equals(instrument.symbol())) {
                throw new IllegalArgumentException("a snapshot of " + saved.quote().symbol() + " for " + instrument.symbol());
            }
            logPrice = saved.logPrice();
            lastTime = saved.lastTime();
            nextTime = saved.nextTime();
            open = saved.open();
            high = saved.high();
            low = saved.low();
            volume = saved.volume();
            random = new SplitMix64(saved.random());
            quote = saved.quote();
        }

        void trade() {
            double dtYears = (nextTime - lastTime) * config.timeScale() / MarketConfig.TRADING_SECONDS_PER_YEAR;
            // Exact over any step: x moves towards its long-run centre by a share 1 - e^(-reversion dt)
            // of the way, plus a normal draw of the variance the process accumulates meanwhile.
            double centre = anchor + logDriftPerYear / reversion;
            double pulled = -Math.expm1(-reversion * dtYears);
            double variance = -Math.expm1(-2 * reversion * dtYears) / (2 * reversion);
            logPrice += (centre - logPrice) * pulled + volatility * Math.sqrt(variance) * random.nextGaussian();
            long price = cents(logPrice);
            high = Math.max(high, price);
            low = Math.min(low, price);
            int lastSize = lotSize();
            volume += lastSize;
            quote = quote(price, lastSize, toMillis(nextTime));
            lastTime = nextTime;
            nextTime += interval();
        }

        private Quote quote(long price, int lastSize, long ts) {
            // Spread of about 2-6 basis points of the price, at least one tick, around the last trade.
            long spread = Math.max(1, Math.round(price * (2 + 4 * random.nextDouble()) / 10_000));
            long bid = Math.max(1, price - spread / 2);
            long ask = bid + spread;
            int bidSize = 100 * (1 + random.nextInt(50));
            int askSize = 100 * (1 + random.nextInt(50));
            long prevClose = instrument.prevCloseCents();
            long change = price - prevClose;
            long changeBp = Math.round(change * 10_000.0 / prevClose);
            return new Quote(instrument.symbol(), price, bid, ask, bidSize, askSize, lastSize, volume,
                    open, high, low, prevClose, change, changeBp, ts);
        }

        private int lotSize() {
            // Mostly round lots, occasionally a block.
            return random.nextInt(20) == 0 ? 100 * (20 + random.nextInt(200)) : 100 * (1 + random.nextInt(10));
        }

        private double interval() {
            return random.nextExponential() / config.updatesPerSecond();
        }
    }

    /** The mean reversion (per year) of a symbol's log price; see the class comment. */
    static double reversion(double volatility, double logDriftPerYear) {
        return Math.max(2 * volatility * volatility, 2 * Math.abs(logDriftPerYear));
    }

    private static long cents(double logCents) {
        return Math.max(1, Math.round(Math.exp(logCents)));
    }
}
