package dev.ticker.stream;

import dev.ticker.market.MarketStatus;
import dev.ticker.stream.protocol.EncodedQuote;
import dev.ticker.stream.protocol.QuoteBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * One flush's view of the {@link QuoteBoard}: every symbol's entry as the flush began, and which
 * symbols changed since the previous flush. Every connection in the flush reads this view, not
 * the live board, so a connection that was up to date after the previous flush needs only the
 * changed symbols (a walk over a few indices instead of all its subscriptions), and connections
 * subscribed to the whole universe can all share {@link #allChanged() one batch}. It also holds the
 * market's state as the flush began, so every connection is told of an open or close once.
 *
 * <p>Made by the flush thread; read by it and its helpers, each flushing a share of the connections.
 */
final class Round {

    private final long number;
    private final QuoteBoard.Entry[] entries;
    private final int[] changed;
    private final int changedCount;
    private final long conflated;
    private final MarketStatus market;
    // Built by the first connection that needs it; volatile, so the others (on the flush thread
    // and its helpers) read it without taking a lock: each all-symbol subscriber asks once a flush.
    private volatile QuoteBatch allChanged;

    private Round(long number, QuoteBoard.Entry[] entries, int[] changed, int changedCount, long conflated,
                  MarketStatus market) {
        this.number = number;
        this.entries = entries;
        this.changed = changed;
        this.changedCount = changedCount;
        this.conflated = conflated;
        this.market = market;
    }

    /** The round before the first flush: nothing published, nothing changed. */
    static Round initial(QuoteBoard board) {
        return new Round(0, new QuoteBoard.Entry[board.universe().size()], new int[0], 0, 0, null);
    }

    /** The next round of a market without sessions. */
    Round next(QuoteBoard board) {
        return next(board, null);
    }

    /** The next round: the board as it is now, compared with this round's view, and the market's state {@code market}. */
    Round next(QuoteBoard board, MarketStatus market) {
        QuoteBoard.Entry[] now = new QuoteBoard.Entry[entries.length];
        int[] changedNow = new int[entries.length];
        int count = 0;
        long replaced = 0;
        for (int i = 0; i < now.length; i++) {
            now[i] = board.latest(i);
            if (now[i] != entries[i]) {
                changedNow[count++] = i;
                replaced += now[i].updates() - (entries[i] == null ? 0 : entries[i].updates()) - 1;
            }
        }
        return new Round(number + 1, now, changedNow, count, replaced, market);
    }

    /** The market's state as this round began, or null if the market has no sessions. */
    MarketStatus market() {
        return market;
    }

    long number() {
        return number;
    }

    /** The entry of the symbol at {@code index} in this round's view, or null before its first quote. */
    QuoteBoard.Entry entry(int index) {
        return entries[index];
    }

    /**
     * Quotes that were replaced on the board by a newer one of the same symbol between the previous
     * flush and this one: no connection ever sees them (the conflation policy at work).
     */
    long conflated() {
        return conflated;
    }

    int changedCount() {
        return changedCount;
    }

    /** The index of the {@code i}-th changed symbol, in universe order. */
    int changed(int i) {
        return changed[i];
    }

    /** Every changed quote, in universe order, as one batch; built once, on first use. */
    QuoteBatch allChanged() {
        QuoteBatch batch = allChanged;
        if (batch == null) {
            synchronized (this) {
                batch = allChanged;
                if (batch == null) {
                    List<EncodedQuote> quotes = new ArrayList<>(changedCount);
                    for (int i = 0; i < changedCount; i++) {
                        quotes.add(entries[changed[i]].quote());
                    }
                    batch = QuoteBatch.of(quotes);
                    allChanged = batch;
                }
            }
        }
        return batch;
    }
}
