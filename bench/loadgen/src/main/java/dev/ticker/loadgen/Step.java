package dev.ticker.loadgen;

import static dev.ticker.loadgen.Benchmark.number;

import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The runs of one step of a scenario (same scenario, server, protocol variant and trade rate), summed up: the spread
 * of a figure over them, the median run, and whether the step passed. Runs the benchmark set aside
 * as disturbed (the host stole the machine while they ran; see {@link Benchmark}) are shown on the
 * page but not counted here.
 */
record Step(String scenario, String server, String variant, String label, boolean ticker, double tradesPerSecond,
            List<JsonObject> runs) {

    /** A figure over a step's counted runs: the median (of an even count, the lower middle), min and max. */
    record Spread(double median, double min, double max, int runs) {
    }

    /** The results grouped into steps, in the order each step first appears. */
    static List<Step> of(List<JsonObject> results) {
        Map<String, List<JsonObject>> groups = new LinkedHashMap<>();
        for (JsonObject r : results) {
            String key = r.getString("scenario") + "|" + r.getString("server") + "|" + variant(r) + "|" + number(r, "tradesPerSecond");
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
        }
        List<Step> steps = new ArrayList<>();
        for (List<JsonObject> runs : groups.values()) {
            JsonObject first = runs.get(0);
            steps.add(new Step(first.getString("scenario"), first.getString("server"), variant(first),
                    first.getString("label"),
                    first.getBoolean("ticker"), number(first, "tradesPerSecond"), List.copyOf(runs)));
        }
        return steps;
    }

    /** The protocol variant of a run: text, or binary ({@code ticker.v1.binary}); text in results from before there was one. */
    static String variant(JsonObject r) {
        return r.getString("variant", "text");
    }

    /** Whether a run met the sweep's condition: p99 within the limit, and (nearly) every promised quote delivered. */
    static boolean within(JsonObject r) {
        return p99(r) <= Benchmark.SWEEP_P99_LIMIT_MS
                && number(r, "quotesPerSecond") >= Benchmark.SWEEP_DELIVERED_MIN * number(r, "promisedQuotesPerSecond");
    }

    static long p99(JsonObject r) {
        return r.getJsonObject("quoteLatencyMs").getJsonNumber("p99").longValue();
    }

    static boolean disturbed(JsonObject r) {
        return r.containsKey("disturbed") && r.getBoolean("disturbed");
    }

    /** The runs that count (not set aside as disturbed); all of them if every one was. */
    List<JsonObject> counted() {
        List<JsonObject> counted = runs.stream().filter(r -> !disturbed(r)).toList();
        return counted.isEmpty() ? runs : counted;
    }

    /** Whether most of the counted runs met the condition ({@link #within}). */
    boolean passed() {
        List<JsonObject> counted = counted();
        long passed = counted.stream().filter(Step::within).count();
        return passed * 2 > counted.size();
    }

    Spread spread(ToDoubleFunction<JsonObject> figure) {
        double[] values = counted().stream().mapToDouble(figure).sorted().toArray();
        return new Spread(values[(values.length - 1) / 2], values[0], values[values.length - 1], values.length);
    }

    /** The counted run whose {@code figure} is the median (of an even count, the lower middle). */
    JsonObject median(ToDoubleFunction<JsonObject> figure) {
        List<JsonObject> sorted = new ArrayList<>(counted());
        sorted.sort(Comparator.comparingDouble(figure));
        return sorted.get((sorted.size() - 1) / 2);
    }

    /** The counted run with the median p99: the one the charts draw for this step. */
    JsonObject medianRun() {
        return median(r -> p99(r));
    }
}
