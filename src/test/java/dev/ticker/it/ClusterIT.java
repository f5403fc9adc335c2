package dev.ticker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ticker.market.Market;
import dev.ticker.market.MarketConfig;
import dev.ticker.market.Quote;
import dev.ticker.market.Universe;
import dev.ticker.stream.protocol.QuoteEncoder;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.ClientEndpoint;
import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.StreamEntry;

/**
 * A real cluster on this machine, started by the README's own command ({@code cluster/run}): Redis
 * from Debian's package, three Tomcat nodes with the WAR, nginx in front. Nodes are killed,
 * stopped and shut down under clients of the project's own; at the end the whole trade log read
 * back from Redis must equal a one-process replay of the seed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final int PORT = 18400;                 // nginx; nodes 18401-18403; Redis 18500
    private static final int NODES = 3;
    private static final int LEASE_MILLIS = 2000;
    private static final int GRACE_MILLIS = 5000;
    private static final Path DIR = Path.of("target/cluster-it");
    private static final String JAVA_OPTS = "-Dticker.seed=42 -Dticker.symbols=30 -Dticker.leaseMillis=" + LEASE_MILLIS
            + " -Dticker.heartbeatMillis=2000 -Dticker.subscribeTimeoutMillis=60000 -Dticker.brokerGraceMillis=" + GRACE_MILLIS
            // The whole log stays, so the last tests can replay it from the first trade.
            + " -Dticker.logLength=100000";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @BeforeAll
    static void startCluster() throws Exception {
        for (String tool : List.of("/usr/bin/redis-server", "/usr/sbin/nginx")) {
            if (!Files.isExecutable(Path.of(tool))) {
                throw new IllegalStateException(tool + " is missing: apt-get install redis-server nginx-light");
            }
        }
        script("down");
        deleteTree(DIR);
        script("up", "--detach", "--no-build");
    }

    @AfterAll
    static void stopCluster() throws Exception {
        script("down");
    }

    @Test
    @Order(1)
    void everyNodeShowsByteIdenticalQuotesWithoutASeqGap() throws Exception {
        List<Recorder> recorders = new ArrayList<>();
        for (int node = 1; node <= NODES; node++) {
            recorders.add(Recorder.open(nodeUri(node)));
            recorders.add(Recorder.open(nginxUri()));
        }
        sleep(5000);
        for (Recorder recorder : recorders) {
            recorder.close();
            assertTrue(recorder.quotes.size() > 300, recorder.node + " received " + recorder.quotes.size());
        }
        assertSameQuotes(recorders);
        // Every node serves the same bars, though they started one after another: all but the
        // minute in progress (and the one before, should a node be a batch behind) are identical.
        List<jakarta.json.JsonArray> bars = new ArrayList<>();
        for (int node = 1; node <= NODES; node++) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + (PORT + node) + "/ticker/api/history?symbol=AAPL")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            bars.add(Json.createReader(new StringReader(response.body())).readObject().getJsonArray("bars"));
        }
        int complete = bars.stream().mapToInt(jakarta.json.JsonArray::size).min().orElse(0) - 2;
        assertTrue(complete >= 3, "bars on every node: " + bars.stream().map(jakarta.json.JsonArray::size).toList());
        for (int node = 2; node <= NODES; node++) {
            assertEquals(bars.get(0).subList(0, complete), bars.get(node - 1).subList(0, complete), "node-" + node + "'s bars");
        }
    }

    @Test
    @Order(2)
    void whenTheLeaderIsKilledAnotherLeadsWithin5sAndItsClientsComeBackThroughNginx() throws Exception {
        Map<Integer, Recorder> byNode = recordersOnEveryNode();
        int leader = leader();
        long killedAt = System.nanoTime();
        signal(leader, "KILL");
        await(() -> leaderOrZero() != 0 && leaderOrZero() != leader, Duration.ofSeconds(5), "another node leads within 5 s");
        long tookMillis = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.println("ClusterIT: leader node-" + leader + " killed; node-" + leader() + " leads after " + tookMillis + " ms");
        Recorder orphan = byNode.get(leader);
        await(orphan::isClosed, Duration.ofSeconds(10), "the dead node's client sees its connection end");
        for (Map.Entry<Integer, Recorder> entry : byNode.entrySet()) {
            if (entry.getKey() != leader) {
                Recorder survivor = entry.getValue();
                int had = survivor.ticks.size();
                await(() -> survivor.ticks.size() > had + 10, Duration.ofSeconds(5), "node-" + entry.getKey() + "'s client gets quotes again");
                assertFalse(survivor.isClosed(), "node-" + entry.getKey() + "'s client keeps its connection");
                assertEquals(List.of(), survivor.seqProblems);
            }
        }
        try (Recorder back = Recorder.open(nginxUri())) {
            assertNotEquals("node-" + leader, back.node, "nginx sends the client to a live node");
            await(() -> back.snapshots > 0 && back.ticks.size() > 5, Duration.ofSeconds(5), "a snapshot, then quotes");
        }
        closeAll(byNode);
        script("node", Integer.toString(leader), "--no-build");
    }

    @Test
    @Order(3)
    void aKilledFollowerCostsTheOtherNodesNothing() throws Exception {
        Map<Integer, Recorder> byNode = recordersOnEveryNode();
        int leader = leader();
        int follower = leader % NODES + 1;
        signal(follower, "KILL");
        for (Map.Entry<Integer, Recorder> entry : byNode.entrySet()) {
            if (entry.getKey() != follower) {
                Recorder survivor = entry.getValue();
                int had = survivor.ticks.size();
                await(() -> survivor.ticks.size() > had + 40, Duration.ofSeconds(5), "node-" + entry.getKey() + " goes on");
                assertFalse(survivor.isClosed());
            }
        }
        assertEquals(leader, leader(), "the leader stays");
        closeAll(byNode);
        script("node", Integer.toString(follower), "--no-build");
    }

    @Test
    @Order(4)
    void aLeaderThatShutsDownHandsOverWithinOneSecond() throws Exception {
        int leader = leader();
        int watcher = leader % NODES + 1;
        try (Recorder client = Recorder.open(nodeUri(watcher))) {
            await(() -> client.ticks.size() > 20, Duration.ofSeconds(5), "quotes");
            signal(leader, "TERM");
            await(() -> leaderOrZero() != 0 && leaderOrZero() != leader, Duration.ofSeconds(5), "a successor");
            int had = client.ticks.size();
            await(() -> client.ticks.size() > had + 40, Duration.ofSeconds(5), "quotes from the successor");
            long longest = client.longestSilenceMillis();
            System.out.println("ClusterIT: graceful handover; longest pause at a follower's client " + longest + " ms");
            assertTrue(longest < 1000, "a follower's client paused " + longest + " ms");
            assertEquals(List.of(), client.seqProblems);
        }
        awaitExit(leader);
        script("node", Integer.toString(leader), "--no-build");
    }

    @Test
    @Order(5)
    void aZombieLeaderIsFencedAndStepsDown() throws Exception {
        int zombie = leader();
        long zombieTerm = health(zombie).getJsonObject("cluster").getJsonNumber("term").longValue();
        signal(zombie, "STOP");
        try {
            await(() -> leaderOrZero() != 0 && leaderOrZero() != zombie, Duration.ofSeconds(LEASE_MILLIS / 1000 + 5),
                    "a successor while node-" + zombie + " is stopped");
        } finally {
            signal(zombie, "CONT");
        }
        int successor = leader();
        long successorTerm = health(successor).getJsonObject("cluster").getJsonNumber("term").longValue();
        assertTrue(successorTerm > zombieTerm, "the successor's term " + successorTerm + " is above " + zombieTerm);
        await(() -> "follower".equals(health(zombie).getString("role")), Duration.ofSeconds(5), "the zombie steps down");
        assertEquals(successor, leader(), "one leader");
        try (Recorder client = Recorder.open(nodeUri(zombie))) {
            await(() -> client.ticks.size() > 20, Duration.ofSeconds(5), "the old leader serves quotes again, as a follower");
        }
    }

    @Test
    @Order(6)
    void afterRedisIsKilledAndRestartedFromItsFileEveryNodeGoesOn() throws Exception {
        List<Recorder> recorders = new ArrayList<>();
        for (int node = 1; node <= NODES; node++) {
            recorders.add(Recorder.open(nodeUri(node)));
        }
        killRedis();
        sleep(200);
        script("up", "--detach", "--no-build");                 // starts only what is not running: Redis
        for (Recorder recorder : recorders) {
            int had = recorder.ticks.size();
            await(() -> recorder.ticks.size() > had + 40, Duration.ofSeconds(15), recorder.node + " gets quotes again");
            assertFalse(recorder.isClosed(), recorder.node + " kept its clients");
            assertEquals(List.of(), recorder.seqProblems);
            recorder.close();
        }
    }

    @Test
    @Order(7)
    void nodesThatLoseRedisLetTheirClientsGoAndComeBackWithIt() throws Exception {
        List<Recorder> recorders = new ArrayList<>();
        for (int node = 1; node <= NODES; node++) {
            recorders.add(Recorder.open(nodeUri(node)));
        }
        killRedis();
        sleep(GRACE_MILLIS / 2);
        for (Recorder recorder : recorders) {
            assertFalse(recorder.isClosed(), recorder.node + " keeps its clients within the grace");
        }
        for (Recorder recorder : recorders) {
            await(recorder::isClosed, Duration.ofMillis(GRACE_MILLIS + 8000), recorder.node + " lets its client go");
            assertEquals(1013, recorder.closed.get().getCloseCode().getCode(), recorder.node);
        }
        for (int node = 1; node <= NODES; node++) {
            assertEquals("DOWN", health(node).getString("status", ""), "node-" + node);
            HttpResponse<String> ready = probe(node, "ready");
            assertEquals(503, ready.statusCode(), "node-" + node + " is not ready: " + ready.body());
            assertTrue(ready.body().contains("{\"name\":\"broker\",\"status\":\"DOWN\""), ready.body());
            HttpResponse<String> live = probe(node, "live");
            assertEquals(200, live.statusCode(), "node-" + node + " needs no restart: " + live.body());
            assertEquals(503, HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (PORT + node) + "/ticker/ws/quotes"))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode(), "node-" + node + " refuses handshakes");
        }
        script("up", "--detach", "--no-build");
        for (int node = 1; node <= NODES; node++) {
            int n = node;
            await(() -> "UP".equals(health(n).getString("status", "")), Duration.ofSeconds(15), "node-" + node + " recovers");
            await(() -> {
                try {
                    return probe(n, "ready").statusCode() == 200;
                } catch (Exception e) {
                    return false;
                }
            }, Duration.ofSeconds(5), "node-" + node + " is ready again");
        }
        try (Recorder back = Recorder.open(nginxUri())) {
            await(() -> back.snapshots > 0 && back.ticks.size() > 5, Duration.ofSeconds(5), "quotes again");
        }
    }

    @Test
    @Order(9)
    void whenRedisRestartsEmptyTheMarketStartsOverAndClientsResync() throws Exception {
        List<Recorder> recorders = new ArrayList<>();
        for (int node = 1; node <= NODES; node++) {
            recorders.add(Recorder.open(nodeUri(node)));
        }
        killRedis();
        deleteTree(DIR.resolve("redis/appendonlydir"));       // a Redis without persistence forgets everything
        script("up", "--detach", "--no-build");
        for (Recorder recorder : recorders) {
            await(recorder::isClosed, Duration.ofSeconds(15), recorder.node + " lets its client go");
            assertEquals(1012, recorder.closed.get().getCloseCode().getCode(), recorder.node);
        }
        Recorder back = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (back == null) {
            try {
                back = Recorder.open(nginxUri());
            } catch (Exception refusedWhileRestarting) {
                if (System.nanoTime() > deadline) {
                    throw refusedWhileRestarting;
                }
                sleep(500);
            }
        }
        try (Recorder client = back) {
            await(() -> client.snapshots > 0 && client.ticks.size() > 5, Duration.ofSeconds(5), "a snapshot of the new market, then quotes");
        }
        assertLogEqualsReplay(100);
    }

    @Test
    @Order(8)
    void throughEveryFaultSoFarTheWholeLogEqualsAOneProcessReplayOfTheSeed() throws Exception {
        assertLogEqualsReplay(1000);
    }

    /**
     * Once, a cluster of three different servers behind the same nginx: Tomcat, WildFly (Undertow)
     * and Payara Micro (Tyrus) show byte-identical quotes, and when the leader dies, whichever it
     * is, another server takes over the same price path.
     */
    @Test
    @Order(10)
    void aClusterOfTomcatWildFlyAndPayaraMicroIsOneMarket() throws Exception {
        script("down");
        Path dir = Path.of("target/cluster-it-mixed");
        int port = PORT + 200;                               // nginx 18600, nodes 18601-18603, Redis 18700
        String servers = "tomcat,wildfly,payara";
        scriptOn(dir, port, servers, "down");
        deleteTree(dir);
        try {
            scriptOn(dir, port, servers, "up", "--detach", "--no-build");
            List<Recorder> recorders = new ArrayList<>();
            for (int node = 1; node <= NODES; node++) {
                recorders.add(Recorder.open(URI.create("ws://127.0.0.1:" + (port + node) + "/ticker/ws/quotes")));
            }
            recorders.add(Recorder.open(URI.create("ws://127.0.0.1:" + port + "/ticker/ws/quotes")));
            sleep(4000);
            assertSameQuotes(recorders);
            int leader = 0;
            for (int node = 1; node <= NODES; node++) {
                if ("leader".equals(healthOn(port + node).getString("role", ""))) {
                    leader = node;
                }
            }
            assertNotEquals(0, leader, "one of the servers leads");
            run("kill", "-KILL", Files.readString(dir.resolve("node-" + leader + "/node.pid")).trim());
            int dead = leader;
            await(() -> {
                for (int node = 1; node <= NODES; node++) {
                    if (node != dead && "leader".equals(healthOn(port + node).getString("role", ""))) {
                        return true;
                    }
                }
                return false;
            }, Duration.ofSeconds(5), "another server leads within 5 s");
            for (int node = 1; node <= NODES; node++) {
                if (node != dead) {
                    Recorder survivor = recorders.get(node - 1);
                    int had = survivor.ticks.size();
                    await(() -> survivor.ticks.size() > had + 40, Duration.ofSeconds(5), survivor.node + " goes on");
                    assertFalse(survivor.isClosed(), survivor.node);
                    assertEquals(List.of(), survivor.seqProblems);
                }
            }
            for (Recorder recorder : recorders) {
                recorder.close();
            }
            System.out.println("ClusterIT: mixed cluster (" + servers + "), leader node-" + dead + " (" + servers.split(",")[dead - 1]
                    + ") killed, another took over");
            assertLogEqualsReplay(port + 100, 300);
        } finally {
            scriptOn(dir, port, servers, "down");
        }
    }

    private static void assertSameQuotes(List<Recorder> recorders) throws IOException {
        for (Recorder recorder : recorders) {
            assertEquals(List.of(), recorder.seqProblems, recorder.node);
        }
        for (int i = 0; i < recorders.size(); i++) {
            for (int j = i + 1; j < recorders.size(); j++) {
                int common = 0;
                for (Map.Entry<String, String> quote : recorders.get(i).quotes.entrySet()) {
                    String other = recorders.get(j).quotes.get(quote.getKey());
                    if (other != null) {
                        assertEquals(quote.getValue(), other, "the same trade as seen on " + recorders.get(i).node
                                + " and " + recorders.get(j).node);
                        common++;
                    }
                }
                assertTrue(common > 100, "trades seen on both " + recorders.get(i).node + " and " + recorders.get(j).node + ": " + common);
            }
        }
    }

    /** Reads the log back from Redis and replays the market in this process from its stored settings. */
    private static void assertLogEqualsReplay(long minTrades) throws Exception {
        assertLogEqualsReplay(PORT + 100, minTrades);
    }

    private static void assertLogEqualsReplay(int redisPort, long minTrades) throws Exception {
        try (Jedis jedis = new Jedis(URI.create("redis://127.0.0.1:" + redisPort))) {
            Map<String, String> settings = jedis.hgetAll("{ticker}:market");
            MarketConfig config = new MarketConfig(Integer.parseInt(settings.get("symbols")), Long.parseLong(settings.get("seed")),
                    Double.parseDouble(settings.get("updatesPerSecond")), Double.parseDouble(settings.get("timeScale")),
                    Integer.parseInt(settings.get("sessionMinutes")), Integer.parseInt(settings.get("closedMinutes")));
            assertEquals(42, config.seed());
            Universe universe = Universe.standard(config.symbols(), config.seed());
            Market replay = new Market(universe, config, Long.parseLong(settings.get("start")));
            long next = 1;
            long[] perSymbol = new long[universe.size()];
            for (StreamEntry entry : jedis.xrange("{ticker}:log", "-", "+")) {
                assertEquals(next, Long.parseLong(entry.getFields().get("f")), "entry " + entry.getID() + " continues the log");
                String payload = entry.getFields().get("q");
                for (String line : payload.isEmpty() ? new String[0] : payload.split("\n")) {
                    Quote quote = replay.next();
                    String[] parts = line.split(" ", 3);
                    int index = universe.indexOf(quote.symbol());
                    assertEquals(index, Integer.parseInt(parts[0]), "trade " + next);
                    assertEquals(++perSymbol[index], Long.parseLong(parts[1]), "trade " + next);
                    assertEquals(QuoteEncoder.toJson(quote), parts[2], "trade " + next);
                    next++;
                }
            }
            System.out.println("ClusterIT: " + (next - 1) + " trades in the log, equal to a one-process replay of seed 42");
            assertTrue(next > minTrades, "trades: " + (next - 1));
        }
    }

    // ---- the cluster ----

    private static void script(String... args) throws IOException, InterruptedException {
        scriptOn(DIR, PORT, "tomcat", args);
    }

    private static void scriptOn(Path dir, int port, String servers, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "cluster/run"));
        command.addAll(List.of(args));
        command.addAll(List.of("--dir", dir.toString(), "--port", Integer.toString(port), "--servers", servers));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("CLUSTER_JAVA_OPTS", JAVA_OPTS);
        Process process = builder.start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("cluster/run " + String.join(" ", args) + " failed; see " + dir);
        }
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }

    private static void killRedis() throws IOException, InterruptedException {
        run("kill", "-KILL", Files.readString(DIR.resolve("redis/redis.pid")).trim());
    }

    private static long pid(int node) throws IOException {
        return Long.parseLong(Files.readString(DIR.resolve("node-" + node + "/node.pid")).trim());
    }

    private static void signal(int node, String signal) throws IOException, InterruptedException {
        run("kill", "-" + signal, Long.toString(pid(node)));
    }

    private static void awaitExit(int node) throws Exception {
        long pid = pid(node);
        await(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), Duration.ofSeconds(20), "node-" + node + " exits");
    }

    private static URI nodeUri(int node) {
        return URI.create("ws://127.0.0.1:" + (PORT + node) + "/ticker/ws/quotes");
    }

    private static URI nginxUri() {
        return URI.create("ws://127.0.0.1:" + PORT + "/ticker/ws/quotes");
    }

    /** GET /ticker/health/{@code which} of a node. */
    private static HttpResponse<String> probe(int node, String which) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (PORT + node) + "/ticker/health/" + which))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonObject health(int node) {
        return healthOn(PORT + node);
    }

    private static JsonObject healthOn(int port) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ticker/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return Json.createReader(new StringReader(response.body())).readObject();
        } catch (Exception e) {
            return Json.createObjectBuilder().add("role", "unreachable").build();
        }
    }

    private static int leaderOrZero() {
        int found = 0;
        for (int node = 1; node <= NODES; node++) {
            if ("leader".equals(health(node).getString("role", ""))) {
                if (found != 0) {
                    throw new AssertionError("two leaders: node-" + found + " and node-" + node);
                }
                found = node;
            }
        }
        return found;
    }

    private static int leader() throws Exception {
        await(() -> leaderOrZero() != 0, Duration.ofSeconds(10), "a leader");
        return leaderOrZero();
    }

    /** Clients through nginx until every node serves one (nginx takes turns). */
    private static Map<Integer, Recorder> recordersOnEveryNode() throws Exception {
        Map<Integer, Recorder> byNode = new HashMap<>();
        List<Recorder> extra = new ArrayList<>();
        for (int tries = 0; byNode.size() < NODES && tries < 12; tries++) {
            Recorder recorder = Recorder.open(nginxUri());
            int node = Integer.parseInt(recorder.node.substring("node-".length()));
            if (byNode.putIfAbsent(node, recorder) != null) {
                extra.add(recorder);
            }
        }
        for (Recorder recorder : extra) {
            recorder.close();
        }
        assertEquals(NODES, byNode.size(), "nginx reached every node");
        return byNode;
    }

    private static void closeAll(Map<Integer, Recorder> recorders) throws IOException {
        for (Recorder recorder : recorders.values()) {
            recorder.close();
        }
    }

    // ---- a client that keeps what it saw ----

    /** Subscribes to everything and records every quote's exact JSON by symbol and time, and when each frame came. */
    @ClientEndpoint(subprotocols = "ticker.v1")
    public static final class Recorder implements AutoCloseable {
        final Map<String, String> quotes = new ConcurrentHashMap<>();
        final List<Long> ticks = new CopyOnWriteArrayList<>();      // arrival, monotonic ms
        final List<String> seqProblems = new CopyOnWriteArrayList<>();
        final CompletableFuture<String> welcomed = new CompletableFuture<>();
        final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
        volatile int snapshots;
        volatile String node = "";
        private long lastSeq;
        private Session session;

        static Recorder open(URI uri) throws Exception {
            Recorder recorder = new Recorder();
            ContainerProvider.getWebSocketContainer().connectToServer(recorder, uri);
            recorder.node = recorder.welcomed.get(10, java.util.concurrent.TimeUnit.SECONDS);
            recorder.session.getBasicRemote().sendText("{\"type\":\"subscribe\",\"id\":1,\"symbols\":[\"*\"]}");
            return recorder;
        }

        @OnOpen
        public void opened(Session session) {
            this.session = session;
        }

        @OnMessage
        public void received(String text) {
            JsonObject frame = Json.createReader(new StringReader(text)).readObject();
            long seq = frame.getJsonNumber("seq").longValue();
            if (seq != lastSeq + 1) {
                seqProblems.add("after " + lastSeq + " came " + seq);
            }
            lastSeq = seq;
            switch (frame.getString("type")) {
                case "welcome" -> welcomed.complete(frame.getString("node", ""));
                case "snapshot" -> snapshots++;
                case "ticks" -> {
                    ticks.add(System.nanoTime() / 1_000_000);
                    // Quotes are flat objects: the data array splits at "},{".
                    String data = text.substring(text.indexOf("\"data\":[{") + 9, text.lastIndexOf("}]"));
                    for (String quote : data.split("\\},\\{")) {
                        String json = "{" + quote + "}";
                        JsonObject parsed = Json.createReader(new StringReader(json)).readObject();
                        quotes.put(parsed.getString("symbol") + "@" + parsed.getJsonNumber("ts"), json);
                    }
                }
                default -> { }
            }
        }

        @OnClose
        public void closed(CloseReason reason) {
            closed.complete(reason);
        }

        boolean isClosed() {
            return closed.isDone();
        }

        long longestSilenceMillis() {
            long longest = 0;
            for (int i = 1; i < ticks.size(); i++) {
                longest = Math.max(longest, ticks.get(i) - ticks.get(i - 1));
            }
            return longest;
        }

        @Override
        public void close() throws IOException {
            if (session != null && session.isOpen()) {
                session.close();
            }
        }
    }

    // ---- plumbing ----

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    private static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
            }
        }
    }
}
