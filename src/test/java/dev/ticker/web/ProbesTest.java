package dev.ticker.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ticker.web.Probes.Check;
import dev.ticker.web.Probes.Vitals;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbesTest {

    private static final Vitals HEALTHY = new Vitals(true, true, 1000, "standalone", true, 20, 2000, -1, 0, false, 3);

    @Test
    void aHealthyNodeIsLiveAndReady() {
        assertTrue(Probes.up(Probes.live(HEALTHY)));
        assertTrue(Probes.up(Probes.ready(HEALTHY)));
        assertEquals(List.of("feed", "flush", "draining"), names(Probes.ready(HEALTHY)));
        assertEquals(List.of("feed-threads", "flush-thread"), names(Probes.live(HEALTHY)));
    }

    @Test
    void aStalledFlushIsNotReadyButStaysLiveUntilItIsStuckForGood() {
        Vitals stalled = new Vitals(true, true, 1000, "standalone", false, 5_000, 2000, -1, 0, false, 3);
        assertEquals(List.of("flush"), down(Probes.ready(stalled)));
        assertTrue(Probes.up(Probes.live(stalled)), "a restart is no cure for a pause");
        Vitals stuck = new Vitals(true, true, 1000, "standalone", false, Probes.FLUSH_DEAD_MILLIS, 2000, -1, 0, false, 3);
        assertEquals(List.of("flush-thread"), down(Probes.live(stuck)));
    }

    @Test
    void aFeedThreadThatEndedIsNeitherLiveNorReady() {
        Vitals dead = new Vitals(false, false, 1000, "standalone", true, 20, 2000, -1, 0, false, 3);
        assertEquals(List.of("feed"), down(Probes.ready(dead)));
        assertEquals(List.of("feed-threads"), down(Probes.live(dead)));
    }

    @Test
    void aNodeThatLostItsBrokerIsNotReadyButLive() {
        Vitals lost = new Vitals(false, true, 1000, "follower", true, 20, 2000, 12_000, 10_000, false, 3);
        assertEquals(List.of("feed", "broker"), down(Probes.ready(lost)));
        assertTrue(Probes.up(Probes.live(lost)), "the node comes back by itself when Redis does");
        Vitals within = new Vitals(true, true, 1000, "follower", true, 20, 2000, 9_000, 10_000, false, 3);
        assertTrue(Probes.up(Probes.ready(within)));
        assertEquals(List.of("feed", "flush", "draining", "broker"), names(Probes.ready(within)));
    }

    @Test
    void aDrainingNodeIsNotReadyButLive() {
        Vitals draining = new Vitals(true, true, 1000, "standalone", true, 20, 2000, -1, 0, true, 3);
        assertEquals(List.of("draining"), down(Probes.ready(draining)));
        assertTrue(Probes.up(Probes.live(draining)), "a restart would cut the drain short");
    }

    @Test
    void checksCarryTheNumbersTheyJudged() {
        Check flush = Probes.ready(HEALTHY).get(1);
        assertEquals(20L, flush.data().get("msSinceFlush"));
        assertEquals(2000L, flush.data().get("stalledAfterMs"));
        assertFalse(flush.data().isEmpty());
    }

    private static List<String> names(List<Check> checks) {
        return checks.stream().map(Check::name).toList();
    }

    private static List<String> down(List<Check> checks) {
        return checks.stream().filter(c -> !c.up()).map(Check::name).toList();
    }
}
