package dev.ticker.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class FlushIndexTest {

    private static final int SYMBOLS = 40;
    private static final int WIDE_ABOVE = 6;

    @Test
    void collectsTheSubscribersOfAChangedSymbolEachOnce() {
        FlushIndex<String> index = new FlushIndex<>(SYMBOLS, WIDE_ABOVE, 1);
        var a = index.add("a");
        var b = index.add("b");
        var c = index.add("c");
        index.subscribe(a, new int[] {1, 2}, 1);
        index.subscribe(b, new int[] {2, 3}, 1);
        index.subscribe(c, new int[] {5}, 1);
        index.begin(1);
        index.collectSubscribersOf(2);
        index.collectSubscribersOf(1);
        assertEquals(Set.of("a", "b"), collected(index));
        assertEquals(2, index.collectedCount(), "a, subscribed to both, once");
    }

    @Test
    void aWideMemberIsNotEnteredUnderItsSymbolsButCollectedEveryRound() {
        FlushIndex<String> index = new FlushIndex<>(SYMBOLS, WIDE_ABOVE, 1);
        var wide = index.add("wide");
        index.subscribe(wide, new int[] {0, 1, 2, 3, 4, 5, 6}, 1);
        assertEquals(0, index.subscribersOf(3));
        assertEquals(1, index.wideCount());
        index.begin(1);
        index.collectWide();
        assertEquals(Set.of("wide"), collected(index));

        index.subscribe(wide, new int[] {3}, 2);        // narrow again
        assertEquals(0, index.wideCount());
        assertEquals(1, index.subscribersOf(3));
        assertEquals(2, wide.version());
    }

    @Test
    void aRemovedMemberIsNeverCollectedAndHoldsNothing() {
        FlushIndex<String> index = new FlushIndex<>(SYMBOLS, WIDE_ABOVE, 1);
        var a = index.add("a");
        var b = index.add("b");
        index.subscribe(a, new int[] {7}, 1);
        index.subscribe(b, new int[] {7}, 1);
        index.remove(a);
        index.remove(a);                                 // idempotent
        index.begin(1);
        index.collect(a);
        index.collectSubscribersOf(7);
        index.collectSweep();
        assertEquals(Set.of("b"), collected(index));
        assertEquals(1, index.size());
        assertEquals(1, index.subscribersOf(7));
    }

    @Test
    void theSweepCollectsEveryMemberOnceInSweepRoundsRounds() {
        FlushIndex<Integer> index = new FlushIndex<>(SYMBOLS, WIDE_ABOVE, 10);
        for (int i = 0; i < 103; i++) {
            index.add(i);
        }
        List<Integer> seen = new ArrayList<>();
        for (int round = 1; round <= 10; round++) {
            index.begin(round);
            index.collectSweep();
            int n = index.collectedCount();
            assertTrue(n == 10 || n == 11, "a tenth each round: " + n);
            for (int i = 0; i < n; i++) {
                seen.add(index.collected(i));
            }
        }
        assertEquals(103, seen.size());
        assertEquals(103, new HashSet<>(seen).size());
    }

    /**
     * Random adds, removes and subscription changes against a plain model: each round collects
     * exactly the members subscribed to a changed symbol, the wide ones and the named ones, and
     * no member goes a sweep without being collected, however the membership changes meanwhile.
     */
    @Test
    void matchesAModelUnderRandomChanges() {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            int sweepRounds = 1 + random.nextInt(8);
            FlushIndex<Integer> index = new FlushIndex<>(SYMBOLS, WIDE_ABOVE, sweepRounds);
            Map<Integer, FlushIndex.Place<Integer>> places = new HashMap<>();
            Map<Integer, Set<Integer>> model = new HashMap<>();
            Map<Integer, Long> lastCollected = new HashMap<>();
            int next = 0;
            for (long round = 1; round <= 400; round++) {
                for (int op = random.nextInt(6); op > 0; op--) {
                    int kind = random.nextInt(10);
                    if (kind < 3 || model.isEmpty()) {
                        places.put(next, index.add(next));
                        model.put(next, Set.of());
                        lastCollected.put(next, round - 1);
                        next++;
                    } else {
                        int member = List.copyOf(model.keySet()).get(random.nextInt(model.size()));
                        if (kind < 5) {
                            index.remove(places.get(member));
                            model.remove(member);
                            lastCollected.remove(member);
                        } else {
                            Set<Integer> symbols = new TreeSet<>();
                            for (int k = random.nextInt(random.nextBoolean() ? 4 : 12); k > 0; k--) {
                                symbols.add(random.nextInt(SYMBOLS));
                            }
                            index.subscribe(places.get(member), symbols.stream().mapToInt(Integer::intValue).toArray(), round);
                            model.put(member, symbols);
                        }
                    }
                }
                Set<Integer> changed = new HashSet<>();
                for (int k = random.nextInt(4); k > 0; k--) {
                    changed.add(random.nextInt(SYMBOLS));
                }
                Set<Integer> named = new HashSet<>();
                if (!model.isEmpty() && random.nextBoolean()) {
                    named.add(List.copyOf(model.keySet()).get(random.nextInt(model.size())));
                }

                index.begin(round);
                named.forEach(m -> index.collect(places.get(m)));
                index.collectWide();
                changed.forEach(index::collectSubscribersOf);
                Set<Integer> beforeSweep = collected(index);
                index.collectSweep();
                Set<Integer> all = collected(index);
                assertEquals(all.size(), index.collectedCount(), "seed " + seed + ": nobody twice");

                Set<Integer> expected = new HashSet<>(named);
                model.forEach((member, symbols) -> {
                    if (symbols.size() > WIDE_ABOVE || symbols.stream().anyMatch(changed::contains)) {
                        expected.add(member);
                    }
                });
                assertEquals(expected, beforeSweep, "seed " + seed + ", round " + round);
                assertTrue(model.keySet().containsAll(all), "seed " + seed + ": only members");
                for (int member : all) {
                    lastCollected.put(member, round);
                }
                final long now = round;
                lastCollected.forEach((member, last) -> assertTrue(now - last <= sweepRounds,
                        () -> "member " + member + " not collected since round " + last + " (now " + now
                                + ", sweep " + sweepRounds + " rounds)"));
                for (int symbol = 0; symbol < SYMBOLS; symbol++) {
                    final int s = symbol;
                    long narrow = model.values().stream().filter(v -> v.size() <= WIDE_ABOVE && v.contains(s)).count();
                    assertEquals(narrow, index.subscribersOf(symbol), "seed " + seed + ", symbol " + symbol);
                }
                assertEquals(model.size(), index.size());
            }
        }
    }

    private static <T> Set<T> collected(FlushIndex<T> index) {
        Set<T> set = new HashSet<>();
        for (int i = 0; i < index.collectedCount(); i++) {
            set.add(index.collected(i));
        }
        return set;
    }
}
