package dev.ticker.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the page sums up the several runs of one step: spread, median run, and whether it passed. */
class StepTest {

    private static JsonObject run(String server, double rate, double cpuNanos, long p99, boolean disturbed) {
        return Json.createObjectBuilder()
                .add("scenario", "servers").add("server", server).add("label", "Ticker on " + server)
                .add("ticker", !server.equals("reference")).add("tradesPerSecond", rate)
                .add("serverCpuNanosPerQuote", cpuNanos)
                .add("quoteLatencyMs", Json.createObjectBuilder().add("p99", p99))
                .add("quotesPerSecond", 1000).add("promisedQuotesPerSecond", 1000)
                .add("disturbed", disturbed).build();
    }

    @Test
    void runsOfTheSameServerAndRateFormOneStepInTheOrderSeen() {
        List<Step> steps = Step.of(List.of(run("tomcat", 100, 5000, 50, false), run("reference", 100, 3000, 40, false),
                run("tomcat", 100, 5400, 60, false), run("tomcat", 400, 4000, 70, false)));
        assertEquals(3, steps.size());
        assertEquals("tomcat", steps.get(0).server());
        assertEquals(2, steps.get(0).runs().size());
        assertEquals("reference", steps.get(1).server());
        assertEquals(400, steps.get(2).tradesPerSecond());
    }

    @Test
    void theSpreadIsTheMedianWithTheLowestAndHighest() {
        Step step = Step.of(List.of(run("tomcat", 100, 5400, 50, false), run("tomcat", 100, 4800, 50, false),
                run("tomcat", 100, 7000, 50, false))).get(0);
        Step.Spread cpu = step.spread(Report::cpuMicrosPerQuote);
        assertEquals(new Step.Spread(5.4, 4.8, 7.0, 3), cpu);
        assertEquals("5.40 µs (4.80–7.00)", Report.spread(cpu));
        assertEquals("2.00 µs", Report.spread(new Step.Spread(2, 2, 2, 1)));
    }

    @Test
    void aStepPassesWhenMostOfItsRunsDo() {
        JsonObject slow = run("tomcat", 100, 5000, 250, false);
        assertTrue(Step.of(List.of(run("tomcat", 100, 5000, 50, false), slow, run("tomcat", 100, 5000, 90, false)))
                .get(0).passed());
        assertFalse(Step.of(List.of(run("tomcat", 100, 5000, 50, false), slow, run("tomcat", 100, 5000, 120, false)))
                .get(0).passed());
        // Of two runs, one miss is not "most passed".
        assertFalse(Step.of(List.of(run("tomcat", 100, 5000, 50, false), slow)).get(0).passed());
    }

    @Test
    void runsSetAsideAsDisturbedDoNotCount() {
        JsonObject disturbed = run("tomcat", 100, 9000, 400, true);
        Step step = Step.of(List.of(disturbed, run("tomcat", 100, 5000, 50, false), run("tomcat", 100, 5200, 60, false),
                run("tomcat", 100, 5100, 70, false))).get(0);
        assertTrue(step.passed());
        assertEquals(new Step.Spread(5.1, 5.0, 5.2, 3), step.spread(Report::cpuMicrosPerQuote));
        assertEquals(60, Step.p99(step.medianRun()));
    }

    @Test
    void theMedianRunOfAnEvenCountIsTheLowerMiddle() {
        JsonObject a = run("tomcat", 100, 5000, 50, false);
        JsonObject b = run("tomcat", 100, 5000, 80, false);
        assertSame(a, Step.of(List.of(b, a)).get(0).medianRun());
    }
}
