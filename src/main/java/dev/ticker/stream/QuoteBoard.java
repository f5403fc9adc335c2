package dev.ticker.stream;

import dev.ticker.market.Quote;
import dev.ticker.market.MarketStatus;
import dev.ticker.market.TradingCalendar;
import dev.ticker.market.Universe;
import dev.ticker.stream.protocol.EncodedQuote;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The latest quote of every symbol, already encoded. The feed thread writes it, every connection
 * reads it when it builds a frame; nothing is copied per subscriber, and a connection that falls
 * behind simply finds newer quotes here next time (conflation for free).
 */
public final class QuoteBoard {

    /**
     * An encoded quote, its version (the board's tick counter when it was published) and the
     * number of quotes its symbol has had so far (so a flush can tell how many it conflated).
     */
    record Entry(int index, long version, EncodedQuote quote, long updates) {
    }

    private final Universe universe;
    private volatile TradingCalendar calendar;
    private final AtomicReferenceArray<Entry> latest;
    private long version;          // written by the publishing thread only

    /** The board of a market without sessions (it never announces opens and closes). */
    public QuoteBoard(Universe universe) {
        this(universe, null);
    }

    /** The board of a market trading {@code universe} on {@code calendar}. */
    public QuoteBoard(Universe universe, TradingCalendar calendar) {
        this.universe = universe;
        this.calendar = calendar;
        this.latest = new AtomicReferenceArray<>(universe.size());
    }

    public Universe universe() {
        return universe;
    }

    /** When the market trades, or null if it has no sessions. */
    public TradingCalendar calendar() {
        return calendar;
    }

    /** The market's state at {@code epochMillis}, or null if it has no sessions. */
    public MarketStatus marketAt(long epochMillis) {
        TradingCalendar current = calendar;
        return current == null ? null : current.at(epochMillis);
    }

    /** A market that started over (a cluster whose Redis lost everything) trades on a new calendar. */
    public void calendar(TradingCalendar calendar) {
        this.calendar = calendar;
    }

    /** Records {@code quote} as the latest of its symbol. Call from one thread (the feed). */
    public void publish(Quote quote) {
        int index = universe.indexOf(quote.symbol());
        if (index < 0) {
            throw new IllegalArgumentException("not in the universe: " + quote.symbol());
        }
        publish(index, EncodedQuote.of(quote));
    }

    /** Records {@code quote}, already encoded, as the latest of the symbol at {@code index}. Call from one thread. */
    public void publish(int index, EncodedQuote quote) {
        Entry previous = latest.get(index);
        latest.set(index, new Entry(index, ++version, quote, previous == null ? 1 : previous.updates() + 1));
    }

    /** The latest entry of the symbol at {@code index}, or null before its first quote. */
    Entry latest(int index) {
        return latest.get(index);
    }
}
