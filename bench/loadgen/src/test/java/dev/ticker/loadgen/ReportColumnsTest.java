package dev.ticker.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The page's per-run columns that summarise a run's seconds and the machine beside it. */
class ReportColumnsTest {

    @Test
    void secondsOverTheLimitAreCountedWithTheWorst() {
        JsonObject run = Json.createObjectBuilder()
                .add("secondP99Ms", Json.createArrayBuilder().add(76).add(101).add(592).add(100).add(84)).build();
        assertEquals("2 of 5 (worst 592 ms)", Report.secondsOver(run, 100));
    }

    @Test
    void aRunWithNoBadSecondSaysSo() {
        JsonObject run = Json.createObjectBuilder()
                .add("secondP99Ms", Json.createArrayBuilder().add(70).add(99)).build();
        assertEquals("0 of 2", Report.secondsOver(run, 100));
    }

    @Test
    void resultsFromBeforeTheFieldsExistedReadAsNotRecorded() {
        JsonObject old = Json.createObjectBuilder().add("quotesPerSecond", 1).build();
        assertEquals("n/a", Report.secondsOver(old, 100));
        assertEquals("n/a", Report.machine(old));
    }

    @Test
    void machineIsBusyCoresWithTheStolenPart() {
        JsonObject run = Json.createObjectBuilder().add("machineBusyCores", 1.714).add("machineStealCores", 0.02).build();
        assertEquals("1.71 cores (0.02)", Report.machine(run));
    }

    @Test
    void machineNamesWhatTheWarmUpLostWhereRecorded() {
        JsonObject run = Json.createObjectBuilder().add("machineBusyCores", 1.6).add("machineStealCores", 0.0)
                .add("warmupMachineStealCores", 0.31).build();
        assertEquals("1.60 cores (0.00; warm-up 0.31)", Report.machine(run));
    }

    @Test
    void theLargerOfWarmUpAndWindowDecidesWhetherTheHostDisturbedARun() {
        double cores = Runtime.getRuntime().availableProcessors();
        JsonObject run = Json.createObjectBuilder().add("machineStealCores", 0.01 * cores)
                .add("warmupMachineStealCores", 0.08 * cores).build();
        assertEquals(0.08, Benchmark.stolenShare(run), 1e-9);
        assertEquals(0.0, Benchmark.stolenShare(Json.createObjectBuilder().build()), 1e-9);
    }

    @Test
    void aServerWhoseBestRunIsTheSweepsLastStepHasNoMeasuredLimit() {
        JsonObject at800 = Json.createObjectBuilder().add("tradesPerSecond", 800).build();
        JsonObject at1000 = Json.createObjectBuilder().add("tradesPerSecond", 1000).build();
        assertTrue(Report.passedLastStep(at1000, List.of(at800, at1000)));
        assertFalse(Report.passedLastStep(at800, List.of(at800, at1000, at1000)));
    }

    @Test
    void aMissedTargetLinksToTheHeadingOfItsProfilesAsGitHubAnchorsIt() {
        assertEquals("every-server-on-the-page-pinned-binary-meets-the-targets-on-wildfly-and-tomcat", Report.anchor(Report.MISSES_EXPLAINED));
        assertEquals("the-fan-out-sweep-pinned-wildflys-tail-rises-before-its-core-is-full", Report.anchor(Report.SWEEP_EXPLAINED));
    }

    @Test
    void theAnalysisHasThePartsTheTargetsLinkTo() throws java.io.IOException {
        String analysis = java.nio.file.Files.readString(java.nio.file.Path.of("../analysis.md"));
        for (String heading : java.util.List.of(Report.MISSES_EXPLAINED, Report.SWEEP_EXPLAINED)) {
            org.junit.jupiter.api.Assertions.assertTrue(analysis.contains("### " + heading + "\n"), heading);
        }
    }
}
