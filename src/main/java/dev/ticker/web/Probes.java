package dev.ticker.web;

import dev.ticker.cluster.ClusterFeed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the two probes judge: <em>live</em> (restart me) and <em>ready</em> (send me clients), as
 * named checks in the MicroProfile Health shape ({@link ProbeServlet} writes them).
 * <p>
 * Ready is DOWN whenever clients would get nothing from this node: the feed delivers no quotes (in
 * cluster mode also while Redis is out of reach past the broker grace, or the market just started
 * over), or no flush completed for {@link Vitals#flushStalledAfterMs()}, and from the moment a drain
 * begins (it never ends: a drained node is redeployed or restarted). Live is DOWN only where a
 * restart is the cure: a thread of the feed ended on its own, or no flush completed for
 * {@link #FLUSH_DEAD_MILLIS}, far beyond any GC pause or slow client (the flush never waits on one).
 */
final class Probes {

    /** No flush completed for this long: the flush thread is stuck for good. */
    static final long FLUSH_DEAD_MILLIS = 60_000;

    /** One named check: its verdict and the numbers it was made on. */
    record Check(String name, boolean up, Map<String, Object> data) {
    }

    /**
     * The state the checks are made on, read from the running app at once.
     *
     * @param msSinceBrokerRead cluster mode: since Redis last answered; -1 when standalone
     */
    record Vitals(boolean feedRunning, boolean feedThreadsAlive, long ticksProduced, String role, boolean flushing,
                  long msSinceFlush, long flushStalledAfterMs, long msSinceBrokerRead, long brokerGraceMs, boolean draining,
                  int sessions) {

        static Vitals of(TickerRuntime runtime) {
            boolean cluster = !runtime.feed().status().node().isEmpty();
            return new Vitals(runtime.feed().isRunning(), runtime.feed().threadsAlive(), runtime.feed().published(),
                    runtime.feed().status().role(), runtime.hub().flushing(), runtime.hub().millisSinceFlush(),
                    runtime.hub().flushStalledAfterMillis(),
                    cluster ? runtime.feed().status().sinceReadMillis() : -1,
                    // Only called in cluster mode: standalone, no Redis class is ever loaded.
                    cluster ? ClusterFeed.graceMillis(runtime.settings().cluster().orElseThrow()) : 0,
                    runtime.hub().draining(), runtime.hub().sessions());
        }
    }

    private Probes() {
    }

    static List<Check> live(Vitals vitals) {
        return List.of(
                new Check("feed-threads", vitals.feedThreadsAlive(), Map.of()),
                new Check("flush-thread", vitals.msSinceFlush() < FLUSH_DEAD_MILLIS,
                        data("msSinceFlush", vitals.msSinceFlush(), "deadAfterMs", FLUSH_DEAD_MILLIS)));
    }

    static List<Check> ready(Vitals vitals) {
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("feed", vitals.feedRunning(), data("role", vitals.role(), "ticksProduced", vitals.ticksProduced())));
        checks.add(new Check("flush", vitals.flushing(),
                data("msSinceFlush", vitals.msSinceFlush(), "stalledAfterMs", vitals.flushStalledAfterMs())));
        checks.add(new Check("draining", !vitals.draining(), data("draining", vitals.draining(),
                "sessions", vitals.sessions())));
        if (vitals.msSinceBrokerRead() >= 0) {
            checks.add(new Check("broker", vitals.msSinceBrokerRead() <= vitals.brokerGraceMs(),
                    data("msSinceBrokerRead", vitals.msSinceBrokerRead(), "graceMs", vitals.brokerGraceMs())));
        }
        return checks;
    }

    static boolean up(List<Check> checks) {
        return checks.stream().allMatch(Check::up);
    }

    private static Map<String, Object> data(String key, Object value, String key2, Object value2) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(key, value);
        data.put(key2, value2);
        return data;
    }
}
