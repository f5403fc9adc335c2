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
 * tick.
 *
 * <p>The market trades in the sessions of its {@link TradingCalendar}. Trades arrive while it is
 * open (the Poisson process runs on open time only); the price moves on through the closed
 * period as through trading time, which makes the overnight gap. Each symbol's first print of a
 * session is its opening auction, at the open: the previous session's last trade becomes its
 * {@code prevClose}, and open, high, low and volume start afresh. A symbol whose next trade would
 * fall sessions later (a very slow market) skips those sessions and opens at that one.
 *
 * <p>Every random draw comes from one seed, split per symbol, so the same seed and start time
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
    private final TradingCalendar calendar;
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
        this.calendar = TradingCalendar.of(config, startMillis);
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
            // The calendar does not move: a print pushed out of its session waits for an open.
            if (state.nextSession > state.session || state.nextTime >= calendar.closeOf(state.session)) {
                state.nextSession = Math.max(state.session + 1, calendar.firstOpenAtOrAfter(state.nextTime));
                state.nextTime = calendar.openOf(state.nextSession);
            }
            schedule.add(state);
        }
    }

    /**
     * One symbol's state: its exact log price, the times (real seconds since the start) of its
     * last and next prints, the session's open, high, low and volume, its generator's state, its
     * latest quote (whose {@code prevCloseCents} is the session's), and the sessions of its last
     * and next prints (the next is a later one when it is an opening auction). A session of -1
     * means unknown (state saved before sessions existed): restoring takes the calendar's.
     */
    public record SymbolSnapshot(double logPrice, double lastTime, double nextTime, long open, long high, long low,
                                 long volume, long random, Quote quote, long session, long nextSession) {
    }

    public Universe universe() {
        return universe;
    }

    public MarketConfig config() {
        return config;
    }

    /** When the market trades. */
    public TradingCalendar calendar() {
        return calendar;
    }

    /** Epoch milliseconds of the next trade. */
    public long nextMillis() {
        return toMillis(schedule.element().nextTime);
    }

    /** Advances to the next trade in time order and returns the quote it produced. */
    public Quote next() {
        SymbolState state = schedule.remove();
        if (state.nextSession > state.session) {
            state.auction();
        } else {
            state.trade();
        }
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

    /** Per-symbol state: its random stream, exact log price, the session statistics and its schedule. */
    private final class SymbolState {
        final int index;
        final Instrument instrument;
        SplitMix64 random;
        final double logDriftPerYear;
        final double volatility;
        final double anchor;          // log of the instrument's price, where reversion pulls
        final double reversion;       // per year
        double logPrice;      // natural log of the exact price in cents
        double lastTime;      // real seconds since the start of the last print
        double nextTime;      // real seconds since the start of the next print
        long session;         // the session of the last print
        long nextSession;     // the session of the next: a later one when it is the opening auction
        long prevClose;       // the previous session's last trade
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
            this.prevClose = instrument.prevCloseCents();
            long price = cents(logPrice);
            this.open = price;
            this.high = price;
            this.low = price;
            this.volume = 100L * (10 + random.nextInt(500));   // the opening auction
            this.quote = quote(price, 100 * (1 + random.nextInt(10)), toMillis(0));
            scheduleNext();
        }

        SymbolSnapshot snapshot() {
            return new SymbolSnapshot(logPrice, lastTime, nextTime, open, high, low, volume, random.state(), quote,
                    session, nextSession);
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
            prevClose = quote.prevCloseCents();
            if (saved.session() < 0) {
                // Saved before sessions existed: the last print's session, by the calendar.
                session = calendar.sessionAt(lastTime);
                nextSession = session;
                if (nextTime >= calendar.closeOf(session)) {
                    nextSession = Math.max(session + 1, calendar.firstOpenAtOrAfter(nextTime));
                    nextTime = calendar.openOf(nextSession);
                }
            } else {
                session = saved.session();
                nextSession = saved.nextSession();
            }
        }

        void trade() {
            long price = diffuse();
            high = Math.max(high, price);
            low = Math.min(low, price);
            int lastSize = lotSize();
            volume += lastSize;
            quote = quote(price, lastSize, toMillis(nextTime));
            lastTime = nextTime;
            scheduleNext();
        }

        /** The session's first print, at its open: the session statistics start afresh. */
        void auction() {
            long price = diffuse();
            prevClose = quote.priceCents();
            session = nextSession;
            open = price;
            high = price;
            low = price;
            int size = 100 * (10 + random.nextInt(500));
            volume = size;
            quote = quote(price, size, toMillis(nextTime));
            lastTime = nextTime;
            scheduleNext();
        }

        /** Moves the log price on to the next print and returns that print's price. */
        private long diffuse() {
            double dtYears = (nextTime - lastTime) * config.timeScale() / MarketConfig.TRADING_SECONDS_PER_YEAR;
            // Exact over any step: x moves towards its long-run centre by a share 1 - e^(-reversion dt)
            // of the way, plus a normal draw of the variance the process accumulates meanwhile.
            double centre = anchor + logDriftPerYear / reversion;
            double pulled = -Math.expm1(-reversion * dtYears);
            double variance = -Math.expm1(-2 * reversion * dtYears) / (2 * reversion);
            logPrice += (centre - logPrice) * pulled + volatility * Math.sqrt(variance) * random.nextGaussian();
            return cents(logPrice);
        }

        /**
         * The next print: a trade an exponential draw of open time after the last, or, if that
         * falls past the session's close, the opening auction of the session it falls in.
         */
        private void scheduleNext() {
            double next = lastTime + interval();
            double close = calendar.closeOf(session);
            if (next < close) {
                nextTime = next;
                nextSession = session;
                return;
            }
            long skipped = (long) Math.floor((next - close) / calendar.sessionSeconds());
            nextSession = session + 1 + skipped;
            nextTime = calendar.openOf(nextSession);
        }

        private Quote quote(long price, int lastSize, long ts) {
            // Spread of about 2-6 basis points of the price, at least one tick, around the last trade.
            long spread = Math.max(1, Math.round(price * (2 + 4 * random.nextDouble()) / 10_000));
            long bid = Math.max(1, price - spread / 2);
            long ask = bid + spread;
            int bidSize = 100 * (1 + random.nextInt(50));
            int askSize = 100 * (1 + random.nextInt(50));
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
