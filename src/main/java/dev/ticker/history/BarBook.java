package dev.ticker.history;

import dev.ticker.market.MarketStatus;
import dev.ticker.market.TradingCalendar;
import dev.ticker.market.Universe;
import java.util.Arrays;

/**
 * Every symbol's current and previous session as one-minute bars of simulated time (OHLCV), built
 * from every trade the market makes, not from the conflated frames clients see. One thread records
 * (the feed, or in cluster mode the bus reader); any thread reads. Memory is bounded by the
 * universe and the session's length: at most two sessions of {@code sessionMinutes} bars a
 * symbol, 24 bytes a bar (a 30-symbol market at the default day: 0.6 MB; 10,000 symbols, every one
 * trading every simulated minute: 190 MB, which a market that size must plan for). Prices and a
 * minute's volume are kept as ints, saturating: $21 million a share, 2 billion shares a minute.
 */
public final class BarBook {

    private final Universe universe;
    private volatile TradingCalendar calendar;
    private final SymbolBars[] symbols;

    public BarBook(Universe universe, TradingCalendar calendar) {
        this.universe = universe;
        this.calendar = calendar;
        this.symbols = new SymbolBars[universe.size()];
        for (int i = 0; i < symbols.length; i++) {
            symbols[i] = new SymbolBars();
        }
    }

    public Universe universe() {
        return universe;
    }

    public TradingCalendar calendar() {
        return calendar;
    }

    /** Adds a trade of the symbol at {@code index}: {@code size} shares at {@code priceCents}, at {@code ts} (epoch ms). */
    public void record(int index, long priceCents, long size, long ts) {
        TradingCalendar calendar = this.calendar;
        long session = calendar.sessionAtMillis(ts);
        symbols[index].record(session, minuteOf(calendar, session, ts), priceCents, priceCents, priceCents, priceCents, size);
    }

    /** The minute of {@code session} that {@code ts} falls in, from 0. */
    public static int minuteOf(TradingCalendar calendar, long session, long ts) {
        long opensAt = calendar.toMillis(calendar.openOf(session));
        return (int) Math.max(0, Math.min(calendar.sessionMinutes() - 1, Math.floor((ts - opensAt) * calendar.timeScale() / 60_000.0)));
    }

    /**
     * Adds a whole bar (or a part of one, merged into the minute's bar if it has one) of the
     * symbol at {@code index}: for loading stored bars, in time order.
     */
    public void put(int index, long session, int minute, long open, long high, long low, long close, long volume) {
        symbols[index].record(session, minute, open, high, low, close, volume);
    }

    /** Forgets every bar (before loading them again), and from now on places trades on {@code calendar}. */
    public void clear(TradingCalendar calendar) {
        this.calendar = calendar;
        for (int i = 0; i < symbols.length; i++) {
            symbols[i] = new SymbolBars();
        }
    }

    /**
     * The bars of the symbol at {@code index} for the market's current session (while closed, the
     * one that just ended) as of {@code epochMillis}, or, if {@code previous}, for the session
     * before it. Empty if the symbol has not traded in it (or it was before this node's time).
     */
    public Bars bars(int index, boolean previous, long epochMillis) {
        TradingCalendar calendar = this.calendar;
        MarketStatus now = calendar.at(epochMillis);
        long session = previous ? now.session() - 1 : now.session();
        long opensAt = session < 0 ? now.opensAt() : calendar.toMillis(calendar.openOf(session));
        long closesAt = session < 0 ? now.opensAt() : calendar.toMillis(calendar.closeOf(session));
        return symbols[index].copy(universe.get(index).symbol(), session, opensAt, closesAt, 60_000.0 / calendar.timeScale());
    }

    /** One symbol's bars: the session it last traded in, and the one before that. */
    private static final class SymbolBars {
        private static final int[] NO_MINUTES = new int[0];
        private static final int[] NO_VALUES = new int[0];

        private long session = -1;
        private int count;
        private int[] minutes = NO_MINUTES;
        private int[] values = NO_VALUES;
        private long previousSession = -1;
        private int previousCount;
        private int[] previousMinutes = NO_MINUTES;
        private int[] previousValues = NO_VALUES;

        synchronized void record(long tradeSession, int minute, long openCents, long highCents, long lowCents,
                                 long closeCents, long shares) {
            int size = (int) Math.min(Integer.MAX_VALUE, shares);
            if (tradeSession < session) {
                return;                            // trades come in time order; one from before is a replay
            }
            if (tradeSession > session) {
                if (tradeSession == session + 1) {
                    previousSession = session;
                    previousCount = count;
                    previousMinutes = minutes;
                    previousValues = values;
                } else {
                    previousSession = -1;
                    previousCount = 0;
                    previousMinutes = NO_MINUTES;
                    previousValues = NO_VALUES;
                }
                session = tradeSession;
                count = 0;
                minutes = new int[8];
                values = new int[40];
            }
            int last = count - 1;
            if (last >= 0 && minutes[last] >= minute) {
                int at = 5 * last;
                values[at + 1] = Math.max(values[at + 1], cents(highCents));
                values[at + 2] = Math.min(values[at + 2], cents(lowCents));
                values[at + 3] = cents(closeCents);
                values[at + 4] = (int) Math.min(Integer.MAX_VALUE, (long) values[at + 4] + size);
                return;
            }
            if (count == minutes.length) {
                minutes = Arrays.copyOf(minutes, count * 2);
                values = Arrays.copyOf(values, count * 10);
            }
            minutes[count] = minute;
            int at = 5 * count;
            values[at] = cents(openCents);
            values[at + 1] = cents(highCents);
            values[at + 2] = cents(lowCents);
            values[at + 3] = cents(closeCents);
            values[at + 4] = size;
            count++;
        }

        private static int cents(long cents) {
            return (int) Math.min(Integer.MAX_VALUE, cents);
        }

        synchronized Bars copy(String symbol, long wanted, long opensAt, long closesAt, double barMillis) {
            if (wanted >= 0 && wanted == session) {
                return new Bars(symbol, wanted, opensAt, closesAt, barMillis, Arrays.copyOf(minutes, count),
                        Arrays.copyOf(values, 5 * count));
            }
            if (wanted >= 0 && wanted == previousSession) {
                return new Bars(symbol, wanted, opensAt, closesAt, barMillis, Arrays.copyOf(previousMinutes, previousCount),
                        Arrays.copyOf(previousValues, 5 * previousCount));
            }
            return new Bars(symbol, wanted, opensAt, closesAt, barMillis, NO_MINUTES, NO_VALUES);
        }
    }
}
