package dev.ticker.stream;

import java.util.Arrays;

/**
 * Which members (connections) a flush visits: those subscribed to a symbol that changed in the
 * round, every "wide" one (subscribed to more than {@code wideAbove} symbols), those the caller
 * names, and a slice of everybody, so that every member is visited at least once in
 * {@code sweepRounds} rounds (their heartbeats, pings and timeouts are checked then).
 *
 * <p>Why: with 19,000 connections of 20 random symbols each, one in twenty has news in a round;
 * visiting all of them 20 times a second was a third of the server's CPU, nearly all of it cache
 * misses on connections with nothing to send (bench/analysis.md, "Capacity at 19,000").
 *
 * <p>A wide member is not entered under its symbols: it has news nearly every round, and entering
 * a member of 500 symbols 500 times costs memory and, on every subscription change, time, for
 * nothing a plain visit every round does not give.
 *
 * <p>Collecting is {@link #begin}, then any of {@link #collect}, {@link #collectWide},
 * {@link #collectSubscribersOf}, {@link #collectSweep}; a member is collected once per round
 * however often it is named. Not thread safe: the flush thread owns it.
 */
final class FlushIndex<T> {

    private static final int[] NONE = new int[0];

    /** A member's place in the index. The member may keep it; only the index's owner touches it. */
    static final class Place<T> {
        private final T member;
        private int bucket = -1;         // its sweep bucket, -1 once removed
        private int slot;                // in buckets[bucket]
        private int wideSlot = -1;       // in wide[], -1 if narrow
        private int[] symbols = NONE;    // narrow: the symbols it is entered under, ascending
        private int[] positions = NONE;  // narrow: its position in bySymbol[symbols[i]]
        private long version = -1;       // the owner's version of those symbols
        private long mark = -1;          // the round it was last collected in

        private Place(T member) {
            this.member = member;
        }

        T member() {
            return member;
        }

        /** The version given to the last {@link FlushIndex#subscribe}, or -1. */
        long version() {
            return version;
        }

        boolean removed() {
            return bucket < 0;
        }
    }

    private final int wideAbove;
    private final Place<T>[][] bySymbol;
    private final int[] bySymbolCount;
    // Every member is in one of sweepRounds buckets, and round r sweeps bucket r % sweepRounds:
    // each member is swept exactly once every sweepRounds rounds, whoever comes and goes.
    private final int sweepRounds;
    private final Place<T>[][] buckets;
    private final int[] bucketCount;
    private int nextBucket;
    private int allCount;
    private Place<T>[] wide = newArray(16);
    private int wideCount;

    private Place<T>[] collected = newArray(16);
    private int collectedCount;
    private long round = Long.MIN_VALUE;

    /**
     * {@code symbols}: the universe's size; {@code wideAbove}: more symbols than this make a member
     * wide; {@code sweepRounds}: rounds in which {@link #collectSweep} collects every member once.
     */
    FlushIndex(int symbols, int wideAbove, int sweepRounds) {
        this.wideAbove = wideAbove;
        this.sweepRounds = sweepRounds;
        this.buckets = newArray2(sweepRounds);
        this.bucketCount = new int[sweepRounds];
        this.bySymbol = newArray2(symbols);
        this.bySymbolCount = new int[symbols];
    }

    /** Enters {@code member}, subscribed to nothing. */
    Place<T> add(T member) {
        Place<T> place = new Place<>(member);
        int bucket = nextBucket;
        nextBucket = (nextBucket + 1) % sweepRounds;
        place.bucket = bucket;
        place.slot = append(buckets, bucketCount, bucket, place);
        allCount++;
        return place;
    }

    /** Takes the member out (idempotent). */
    void remove(Place<T> place) {
        if (place.removed()) {
            return;
        }
        subscribe(place, NONE, place.version);
        Place<T>[] list = buckets[place.bucket];
        int count = --bucketCount[place.bucket];
        Place<T> last = list[count];
        list[place.slot] = last;
        last.slot = place.slot;
        list[count] = null;
        place.bucket = -1;
        allCount--;
    }

    /** Members entered. */
    int size() {
        return allCount;
    }

    /** The member's symbols are now {@code symbols} (ascending, no repeats), as of its {@code version}. */
    void subscribe(Place<T> place, int[] symbols, long version) {
        if (place.removed()) {
            return;
        }
        place.version = version;
        boolean nowWide = symbols.length > wideAbove;
        if (nowWide) {
            unenterAll(place);
            if (place.wideSlot < 0) {
                if (wideCount == wide.length) {
                    wide = Arrays.copyOf(wide, 2 * wide.length);
                }
                place.wideSlot = wideCount;
                wide[wideCount++] = place;
            }
            return;
        }
        if (place.wideSlot >= 0) {
            Place<T> last = wide[--wideCount];
            wide[place.wideSlot] = last;
            last.wideSlot = place.wideSlot;
            wide[wideCount] = null;
            place.wideSlot = -1;
        }
        if (Arrays.equals(place.symbols, symbols)) {
            return;
        }
        // Re-entered from scratch: subscriptions change seldom (a request), rounds often.
        unenterAll(place);
        int[] positions = new int[symbols.length];
        for (int i = 0; i < symbols.length; i++) {
            positions[i] = append(bySymbol, bySymbolCount, symbols[i], place);
        }
        place.symbols = symbols.clone();
        place.positions = positions;
    }

    /** Appends {@code place} to {@code lists[i]} (created or doubled as needed); returns its position there. */
    private static <T> int append(Place<T>[][] lists, int[] counts, int i, Place<T> place) {
        Place<T>[] list = lists[i];
        int count = counts[i];
        if (list == null || count == list.length) {
            list = list == null ? newArray(4) : Arrays.copyOf(list, 2 * list.length);
            lists[i] = list;
        }
        list[count] = place;
        counts[i] = count + 1;
        return count;
    }

    private void unenterAll(Place<T> place) {
        int[] symbols = place.symbols;
        for (int i = 0; i < symbols.length; i++) {
            int symbol = symbols[i];
            Place<T>[] list = bySymbol[symbol];
            int count = --bySymbolCount[symbol];
            int position = place.positions[i];
            Place<T> last = list[count];
            list[position] = last;
            list[count] = null;
            if (last != place) {
                last.positions[Arrays.binarySearch(last.symbols, symbol)] = position;
            }
            if (count == 0) {
                bySymbol[symbol] = null;     // a symbol nobody follows holds no array
            }
        }
        place.symbols = NONE;
        place.positions = NONE;
    }

    /** Starts collecting for round {@code round} (greater than the last one's). */
    void begin(long round) {
        this.round = round;
        // Last round's list would otherwise keep closed connections (and their sessions) reachable.
        Arrays.fill(collected, 0, collectedCount, null);
        this.collectedCount = 0;
    }

    /** Collects {@code place}, unless it was removed or is collected already. */
    void collect(Place<T> place) {
        if (place.mark == round || place.removed()) {
            return;
        }
        place.mark = round;
        if (collectedCount == collected.length) {
            collected = Arrays.copyOf(collected, 2 * collected.length);
        }
        collected[collectedCount++] = place;
    }

    /** Collects every wide member. */
    void collectWide() {
        for (int i = 0; i < wideCount; i++) {
            collect(wide[i]);
        }
    }

    /** Collects every narrow member entered under {@code symbol}. */
    void collectSubscribersOf(int symbol) {
        Place<T>[] list = bySymbol[symbol];
        for (int i = bySymbolCount[symbol] - 1; i >= 0; i--) {
            collect(list[i]);
        }
    }

    /** Collects this round's share of the sweep: every member, once in every {@code sweepRounds} rounds. */
    void collectSweep() {
        int bucket = (int) Math.floorMod(round, (long) sweepRounds);
        Place<T>[] list = buckets[bucket];
        for (int i = bucketCount[bucket] - 1; i >= 0; i--) {
            collect(list[i]);
        }
    }

    /** How many were collected this round. */
    int collectedCount() {
        return collectedCount;
    }

    /** The {@code i}-th member collected this round. */
    T collected(int i) {
        return collected[i].member;
    }

    /** Members entered under {@code symbol} (narrow ones only). */
    int subscribersOf(int symbol) {
        return bySymbolCount[symbol];
    }

    /** Wide members. */
    int wideCount() {
        return wideCount;
    }

    @SuppressWarnings("unchecked")
    private static <T> Place<T>[] newArray(int length) {
        return (Place<T>[]) new Place<?>[length];
    }

    @SuppressWarnings("unchecked")
    private static <T> Place<T>[][] newArray2(int length) {
        return (Place<T>[][]) new Place<?>[length][];
    }
}
