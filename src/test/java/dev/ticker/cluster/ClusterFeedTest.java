package dev.ticker.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ticker.market.Market;
import dev.ticker.history.Bars;
import dev.ticker.market.MarketConfig;
import dev.ticker.market.Quote;
import dev.ticker.market.TimeSource;
import dev.ticker.market.Universe;
import dev.ticker.stream.BoardView;
import dev.ticker.stream.protocol.QuoteEncoder;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.RestoreParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.StreamEntry;

/** Nodes sharing one market through a real Redis: one leads, all show the same, handovers keep the path. */
class ClusterFeedTest {

    private static final MarketConfig MARKET = new MarketConfig(12, 42, 40, 600);
    private static final Set<String> GIVEN = Set.of("ticker.symbols", "ticker.seed", "ticker.updatesPerSecond", "ticker.timeScale");

    private RedisServer redis;
    private final List<ClusterFeed> nodes = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start(false);
    }

    @AfterEach
    void stopAll() {
        nodes.forEach(ClusterFeed::close);
        redis.close();
    }

    @Test
    void twoNodesShowTheSameQuotesAndTheLogEqualsAOneProcessReplay() {
        ClusterFeed a = node("a", 60_000);
        ClusterFeed b = node("b", 60_000);
        await(() -> a.published() > 500 && b.published() > 500, "both nodes receive trades");
        assertEquals(1, (a.status().role().equals("leader") ? 1 : 0) + (b.status().role().equals("leader") ? 1 : 0),
                "exactly one leader");
        haltAndDrain(a, b);
        long trades = replayEqualsLog(a);
        assertEquals(trades, a.published());
        assertEquals(trades, b.published());
        for (int i = 0; i < MARKET.symbols(); i++) {
            assertEquals(BoardView.json(a.board(), i), BoardView.json(b.board(), i), "symbol " + i);
        }
    }

    @Test
    void aLeaderThatLeavesHandsOverWithinOneSecondWithoutAJump() {
        ClusterFeed first = node("first", 60_000);
        await(() -> first.status().role().equals("leader") && first.published() > 200, "first leads");
        ClusterFeed second = node("second", 60_000);
        await(() -> second.published() > 0, "second follows");
        long before = second.status().leaderChanges();
        long closedAt = System.nanoTime();
        first.close();
        await(() -> second.status().role().equals("leader"), "second takes over");
        assertTrue(System.nanoTime() - closedAt < Duration.ofSeconds(1).toNanos(), "handover within 1 s");
        assertEquals(before + 1, second.status().leaderChanges());
        long at = second.published();
        await(() -> second.published() > at + 200, "second's own trades arrive");
        second.close();
        replayEqualsLog(second);
    }

    @Test
    void aLeaderWhoseLeaseWasTakenIsFencedAndStepsDown() {
        ClusterFeed a = node("a", 60_000);
        await(() -> a.status().role().equals("leader") && a.published() > 100, "a leads");
        try (Jedis jedis = new Jedis(redis.uri())) {
            // What a zombie's successor does: the lease is another node's now.
            jedis.set("{test}:lease", "9999:intruder", SetParams.setParams().px(60_000));
            await(() -> a.status().fencedWrites() > 0, "a's next write is refused");
            assertEquals("follower", a.status().role());
            long frozen = a.published();
            sleep(300);
            assertEquals(frozen, a.published(), "nothing is written while the intruder holds the lease");
            jedis.del("{test}:lease");
        }
        await(() -> a.status().role().equals("leader"), "a leads again once the lease is free");
        assertTrue(a.status().term() > 9999, "a new term above every term seen: " + a.status().term());
        long at = a.published();
        await(() -> a.published() > at + 100, "trading goes on");
        a.close();
        replayEqualsLog(a);
    }

    /**
     * A node that joins mid-session answers history completely: it loads the bars the leader keeps
     * in Redis with the state, then builds on from the log, and ends with exactly the bars of a
     * node that was there from the open, for every symbol (without the stored bars it would lack
     * the seconds before it joined).
     */
    @Test
    void aNodeThatJoinsLateHasTheSessionsWholeBars() {
        ClusterFeed a = node("a", 60_000);
        // Sessions of 39 s (390 simulated minutes at 600x), 6 s closed: a session has ended by 50 s.
        await(() -> a.published() > 500, "a leads");
        sleep(2_000);
        ClusterFeed late = node("late", 60_000);
        await(() -> late.published() > 500, "late follows");
        haltAndDrain(a, late);
        long now = System.currentTimeMillis();
        int compared = 0;
        for (int i = 0; i < MARKET.symbols(); i++) {
            for (boolean previous : new boolean[] {false, true}) {
                Bars want = a.bars().bars(i, previous, now);
                Bars got = late.bars().bars(i, previous, now);
                assertEquals(want.session(), got.session());
                assertArrayEquals(want.minutes(), got.minutes(), "symbol " + i + ", previous " + previous);
                assertArrayEquals(want.values(), got.values(), "symbol " + i + ", previous " + previous);
                compared += want.size();
            }
        }
        assertTrue(compared > MARKET.symbols() * 2, "bars compared: " + compared);
    }

    @Test
    void aNodeBehindTheTrimmedLogReloadsTheStateAndCatchesUp() {
        ClusterFeed a = node("a", 60_000);
        await(() -> a.published() > 100, "a leads");
        ClusterFeed late = join("late", 60_000);          // joined, but not reading yet
        long resnapshots = late.status().resnapshots();
        await(() -> a.published() > 600, "the log moves on");
        try (Jedis jedis = new Jedis(redis.uri())) {
            jedis.eval("return redis.call('XTRIM', KEYS[1], 'MAXLEN', 1)", List.of("{test}:log"), List.of());
        }
        late.start();
        await(() -> late.status().resnapshots() > resnapshots, "late sees the gap and reloads");
        a.close();
        await(() -> late.status().role().equals("leader"), "late takes over");
        haltAndDrain(late);
        for (int i = 0; i < MARKET.symbols(); i++) {
            assertEquals(BoardView.json(a.board(), i) != null, BoardView.json(late.board(), i) != null);
        }
        ClusterFeed check = join("check", 60_000);
        for (int i = 0; i < MARKET.symbols(); i++) {
            assertEquals(BoardView.json(check.board(), i), BoardView.json(late.board(), i), "late ends as the stored state, symbol " + i);
        }
    }

    @Test
    void aNodeWhoseSettingsContradictTheClusterFailsToJoin() {
        node("a", 60_000);
        MarketConfig other = new MarketConfig(MARKET.symbols(), 7, MARKET.updatesPerSecond(), 60);
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new ClusterFeed(
                config("b", 60_000), other, Set.of("ticker.seed", "ticker.timeScale"), TimeSource.SYSTEM));
        assertTrue(refused.getMessage().contains("ticker.seed is 7 here but 42 in the cluster"), refused.getMessage());
        assertTrue(refused.getMessage().contains("ticker.timeScale is 60.0 here but 600.0 in the cluster"), refused.getMessage());
        ClusterFeed adopts = new ClusterFeed(config("c", 60_000), other, Set.of(), TimeSource.SYSTEM);
        nodes.add(adopts);
        assertEquals(MARKET, adopts.market(), "settings not given explicitly are adopted");
    }

    @Test
    void aSuccessorAfterAGapLongerThanTheCatchUpWindowResumesFromNow() {
        ClusterFeed a = node("a", 60_000);
        await(() -> a.published() > 100, "a leads");
        a.close();
        sleep(1500);
        ClusterFeed b = node("b", 200);
        await(() -> b.status().role().equals("leader"), "b leads");
        long at = b.published();
        await(() -> b.published() > at + 50, "b trades");
        b.close();
        try (Jedis jedis = new Jedis(redis.uri())) {
            List<StreamEntry> entries = new TradeLog("test", 100_000).all(jedis);
            long previousTs = 0;
            long biggestGap = 0;
            for (StreamEntry entry : entries) {
                String payload = entry.getFields().get("q");
                for (String line : payload.isEmpty() ? new String[0] : payload.split("\n")) {
                    long ts = Long.parseLong(line.replaceAll(".*\"ts\":(\\d+).*", "$1"));
                    if (previousTs != 0) {
                        biggestGap = Math.max(biggestGap, ts - previousTs);
                    }
                    previousTs = ts;
                }
            }
            assertTrue(biggestGap >= 1200, "the market resumed later, as after a halt: " + biggestGap);
        }
    }

    @Test
    void afterRedisLosesItsLastWritesTheLeaderRedoesThemAndNoNodeShowsATradeTwice() {
        ClusterFeed a = node("a", 60_000);
        ClusterFeed b = node("b", 60_000);
        await(() -> a.published() > 200 && b.published() > 200, "trading");
        try (Jedis jedis = new Jedis(redis.uri())) {
            byte[] log = jedis.dump("{test}:log");
            byte[] state = jedis.dump("{test}:state");
            long before = a.published();
            await(() -> a.published() > before + 300, "more trades, then Redis forgets them");
            // What a restart from an append-only file a second old looks like: the lease survives
            // (it was renewed since), the log and the state are as they were.
            jedis.restore("{test}:log", 0, log, RestoreParams.restoreParams().replace());
            jedis.restore("{test}:state", 0, state, RestoreParams.restoreParams().replace());
        }
        long shown = b.published();
        await(() -> b.published() > shown + 300, "trading goes on past the forgotten trades");
        haltAndDrain(a, b);
        long trades = replayEqualsLog(a);
        assertEquals(trades, a.published(), "every trade in the log shown once on a");
        assertEquals(trades, b.published(), "every trade in the log shown once on b");
    }

    @Test
    void aNodeThatLosesRedisPausesThenReportsDownAndRecoversByItself() {
        redis.close();
        redis = RedisServer.start(true);
        ClusterFeed a = start(new ClusterFeed(new ClusterConfig(redis.uri(), "test", "a", 1000, 20, 60_000, 100_000, 1500),
                MARKET, GIVEN, TimeSource.SYSTEM));
        await(() -> a.published() > 100, "trading");
        redis.stop();
        sleep(700);
        assertTrue(a.isRunning(), "within the grace the node keeps going (prices pause)");
        await(() -> !a.isRunning(), "past the grace the node reports it lost the market");
        assertFalse(a.restarting());
        redis.restart();
        long at = a.published();
        await(() -> a.isRunning() && a.published() > at + 100, "back by itself once Redis is");
        assertFalse(a.restarting(), "Redis kept the market: the same epoch goes on");
        haltAndDrain(a);
        long trades = replayEqualsLog(a);
        assertEquals(trades, a.published(), "nothing lost, nothing twice");
    }

    @Test
    void whenRedisLosesEverythingTheMarketStartsOverUnderANewEpoch() {
        ClusterFeed a = node("a", 60_000);
        await(() -> a.published() > 100, "trading");
        String epoch;
        try (Jedis jedis = new Jedis(redis.uri())) {
            epoch = jedis.hget("{test}:market", "epoch");
        }
        redis.restart();                                   // no persistence: everything is gone
        await(a::restarting, "the node sees the new epoch and lets its clients go");
        assertFalse(a.isRunning(), "no handshakes while the clients go");
        long at = a.published();
        await(() -> a.published() > at + 100, "the new market trades");
        try (Jedis jedis = new Jedis(redis.uri())) {
            assertNotEquals(epoch, jedis.hget("{test}:market", "epoch"));
            assertEquals("42", jedis.hget("{test}:market", "seed"), "the same market settings, opened anew");
            // Opened anew, at another time: the node's sessions and bars follow the new calendar.
            long start = Long.parseLong(jedis.hget("{test}:market", "start"));
            assertEquals(start, a.board().calendar().startMillis());
            assertEquals(start, a.bars().calendar().startMillis());
        }
    }

    @Test
    void aRedisWithAPasswordIsJoinedWithItInTheUrlAndAWrongOneFailsWithoutShowingIt() {
        redis.close();
        redis = RedisServer.start(false, "s3cret-pass");
        URI good = URI.create("redis://:s3cret-pass@127.0.0.1:" + redis.port() + "/2");
        ClusterFeed a = start(new ClusterFeed(new ClusterConfig(good, "test", "a", 1000, 20, 60_000, 100_000, 10_000),
                MARKET, GIVEN, TimeSource.SYSTEM));
        await(() -> a.published() > 50, "trading through a password-protected Redis, database 2");
        URI bad = URI.create("redis://:wrong-pass@127.0.0.1:" + redis.port());
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> new ClusterFeed(
                new ClusterConfig(bad, "test", "b", 1000, 20, 60_000, 100_000, 10_000), MARKET, GIVEN, TimeSource.SYSTEM));
        assertTrue(refused.getMessage().startsWith("cannot reach the cluster's Redis at redis://:***@127.0.0.1:"), refused.getMessage());
        assertFalse(refused.getMessage().contains("wrong-pass"), refused.getMessage());
    }

    // ---- helpers ----

    private ClusterConfig config(String node, long catchUpMillis) {
        return new ClusterConfig(redis.uri(), "test", node, 1000, 20, catchUpMillis, 100_000, 10_000);
    }

    private ClusterFeed join(String name, long catchUpMillis) {
        ClusterFeed feed = new ClusterFeed(config(name, catchUpMillis), MARKET, GIVEN, TimeSource.SYSTEM);
        nodes.add(feed);
        return feed;
    }

    private ClusterFeed node(String name, long catchUpMillis) {
        return start(join(name, catchUpMillis));
    }

    private ClusterFeed start(ClusterFeed feed) {
        if (!nodes.contains(feed)) {
            nodes.add(feed);
        }
        feed.start();
        return feed;
    }

    /**
     * Stops all writing (the lease goes to nobody's node, as a zombie's successor's would), waits
     * until every node has read the whole log, then closes them: what they showed can then be
     * compared with the log.
     */
    private void haltAndDrain(ClusterFeed... feeds) {
        try (Jedis jedis = new Jedis(redis.uri())) {
            jedis.set("{test}:lease", "99999999:halt", SetParams.setParams().px(60_000));
            await(() -> {
                for (ClusterFeed feed : feeds) {
                    if (feed.status().role().equals("leader")) {
                        return false;
                    }
                }
                return true;
            }, "no node leads");
            long last = Long.parseLong(jedis.hget("{test}:state", "n"));
            for (ClusterFeed feed : feeds) {
                await(() -> feed.lastTrade() == last, "every node read the log up to its last trade, " + last);
            }
        }
        for (ClusterFeed feed : feeds) {
            feed.close();
        }
    }

    /**
     * Replays the market in one process from the cluster's stored settings and checks the whole log
     * against it, trade by trade: same symbol, same per-symbol number, byte-identical JSON, no gap.
     * Returns the trades in the log.
     */
    private long replayEqualsLog(ClusterFeed node) {
        Universe universe = Universe.standard(MARKET.symbols(), MARKET.seed());
        Market replay = new Market(universe, node.market(), node.marketStart());
        long[] perSymbol = new long[universe.size()];
        long expectedFirst = 1;
        try (Jedis jedis = new Jedis(redis.uri())) {
            List<StreamEntry> entries = new TradeLog("test", 100_000).all(jedis);
            assertTrue(entries.size() > 2, "entries: " + entries.size());
            assertEquals("0-1", entries.get(0).getID().toString(), "the log starts with the opening state");
            for (StreamEntry entry : entries) {
                assertEquals(expectedFirst, Long.parseLong(entry.getFields().get("f")), "entry " + entry.getID());
                String payload = entry.getFields().get("q");
                for (String line : payload.isEmpty() ? new String[0] : payload.split("\n")) {
                    Quote quote = replay.next();
                    int index = universe.indexOf(quote.symbol());
                    String[] parts = line.split(" ", 3);
                    assertEquals(index, Integer.parseInt(parts[0]), "trade " + expectedFirst);
                    assertEquals(++perSymbol[index], Long.parseLong(parts[1]), "trade " + expectedFirst);
                    assertEquals(QuoteEncoder.toJson(quote), parts[2], "trade " + expectedFirst);
                    expectedFirst++;
                }
            }
        }
        assertNotEquals(1, expectedFirst, "the log holds trades");
        return expectedFirst - 1;
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            sleep(10);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
