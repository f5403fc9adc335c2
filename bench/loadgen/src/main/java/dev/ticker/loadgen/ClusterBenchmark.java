package dev.ticker.loadgen;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The benchmark's cluster scenario: Ticker on Tomcat nodes sharing one market through Redis,
 * started by {@code cluster/run} (Redis, the nodes and nginx as child processes on ports of their
 * own). Three parts, each result to {@code cluster-results.json} and the page
 * ({@link ClusterReport}):
 * <ol>
 * <li><b>fan-out</b>: the same clients on a standalone node and on each node of a cluster of three,
 *     at the default market (30 symbols) and at 10,000 symbols: the CPU a node spends per delivered
 *     quote and per trade, by role, and what Redis spends;</li>
 * <li><b>readers</b>: one node, and beside it tens of {@link StreamReaders} reading the log as
 *     further nodes would: what each more node costs Redis;</li>
 * <li><b>failover</b>: a cluster of three under load, its leader killed twice ({@code kill -9}) and
 *     stopped once (undeploy): time to a new leader, the pause the other nodes' clients see, the
 *     time until the dead node's clients have a snapshot again through nginx; and, over the whole
 *     part, whether every quote delivered by several nodes was byte-identical.</li>
 * </ol>
 */
final class ClusterBenchmark {

    static final int NODES = 3;
    static final String STREAM = "{ticker}:log";

    private final Benchmark.Options options;
    private final Path dir;
    private final Path resultsFile;
    private final int port;
    private final int redisPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<JsonObject> results = new ArrayList<>();
    private final boolean smoke;

    ClusterBenchmark(Benchmark.Options options) {
        this.options = options;
        this.smoke = options.smoke();
        this.dir = options.work().resolve("cluster").toAbsolutePath();
        this.resultsFile = options.work().resolve(smoke ? "cluster-smoke-results.json" : "cluster-results.json");
        this.port = options.port();
        this.redisPort = port + 100;
    }

    /** Runs every part, writes the results and the page; the number of problems a smoke run found. */
    int run() throws Exception {
        try {
            fanout(30, smoke ? 20 : 200, "all");
            if (!smoke) {
                // Not in the smoke run: at 10,000 symbols about one JDK client in a hundred fails its
                // connection early with a framing error the Node client never shows (bench/analysis.md).
                fanout(10_000, 200, "20");
            }
            readers(30, smoke ? List.of(0, 10) : List.of(0, 10, 50, 100));
            readers(10_000, smoke ? List.of(0, 5) : List.of(0, 5, 10, 20));
            failover(smoke ? 1 : 3);
        } finally {
            down();
        }
        Path page = smoke ? options.work().resolve("benchmarks-cluster.md") : Path.of("docs/benchmarks-cluster.md");
        new ClusterReport(results, options.command()).write(page);
        System.out.println("cluster report written to " + page.toAbsolutePath());
        return smoke ? ClusterReport.problems(results).size() : 0;
    }

    static List<JsonObject> read(Path file) throws IOException {
        return Files.exists(file) ? Benchmark.read(file) : List.of();
    }

    // ---- part 1: fan-out, standalone and clustered ---------------------------------------------

    private void fanout(int symbols, int clientsPerNode, String symbolsPerClient) throws Exception {
        // At 10,000 symbols 600 clients connecting (a 100 KB welcome each) on two cores put the
        // market up to 9 s behind the clock, and it took about 30 s to catch up (bench/analysis.md):
        // the window starts after that.
        int warmup = smoke ? 3 : symbols > 1000 ? 60 : 15;
        int window = smoke ? 5 : 30;
        for (int nodes : List.of(1, NODES)) {
            String topology = nodes == 1 ? "standalone" : "cluster of " + nodes;
            System.out.printf(Locale.ROOT, "%n=== cluster fan-out: %d symbols, %s, %d clients a node (%s symbols each)%n",
                    symbols, topology, clientsPerNode, symbolsPerClient);
            up(nodes, "-Dticker.seed=1 -Dticker.symbols=" + symbols + (nodes == 1 ? " -Dticker.broker= " : ""));
            List<Process> loadgens = new ArrayList<>();
            for (int node = 1; node <= nodes; node++) {
                loadgens.add(loadgen(node, clientsPerNode, symbolsPerClient, warmup, window, 0));
            }
            // Redis's CPU over about the load generators' measured window (they connect at 200 a second).
            long redis = redisPid();
            Thread.sleep((clientsPerNode / 200 + 2 + warmup) * 1000L);
            long redis0 = nodes > 1 ? cpuNanos(redis) : 0;
            long at0 = System.nanoTime();
            Thread.sleep((window - 1) * 1000L);
            double redisCores = nodes > 1 ? (cpuNanos(redis) - redis0) / (double) (System.nanoTime() - at0) : 0;
            awaitAll(loadgens, warmup + window + 120);
            for (int node = 1; node <= nodes; node++) {
                JsonObject r = Benchmark.read(loadgenOut(node)).get(0);
                JsonObjectBuilder record = Json.createObjectBuilder();
                r.forEach((key, value) -> {
                    if (!key.endsWith("Histogram")) {
                        record.add(key, value);
                    }
                });
                JsonObject start = r.getJsonObject("serverHealthAtStart");
                JsonObject end = r.getJsonObject("serverHealth");
                double seconds = (end.getJsonNumber("uptimeMs").doubleValue() - start.getJsonNumber("uptimeMs").doubleValue()) / 1000;
                double trades = end.getJsonNumber("ticksProduced").doubleValue() - start.getJsonNumber("ticksProduced").doubleValue();
                record.add("scenario", "cluster-fanout").add("symbols", symbols).add("nodes", nodes)
                        .add("node", "node-" + node).add("role", end.getString("role", "?"))
                        .add("clients", clientsPerNode).add("symbolsPerClient", symbolsPerClient)
                        .add("warmupSeconds", warmup)
                        .add("producedTradesPerSecond", trades / seconds)
                        .add("redisCpuCores", redisCores);
                add(record);
            }
            down();
        }
    }

    // ---- part 2: Redis with many readers --------------------------------------------------------

    private void readers(int symbols, List<Integer> counts) throws Exception {
        int settle = smoke ? 2 : 5;
        int window = smoke ? 5 : 20;
        System.out.printf(Locale.ROOT, "%n=== cluster readers: %d symbols, one node and %s more readers of the log%n", symbols, counts);
        up(1, "-Dticker.seed=1 -Dticker.symbols=" + symbols);
        long redis = redisPid();
        long nodePid = nodePid(1);
        for (int count : counts) {
            try (StreamReaders readers = new StreamReaders("127.0.0.1", redisPort, STREAM, count)) {
                Thread.sleep(settle * 1000L);
                JsonObject health0 = health(port + 1);
                long redis0 = cpuNanos(redis);
                long node0 = cpuNanos(nodePid);
                long entries0 = readers.entries();
                long bytes0 = readers.bytes();
                MachineCpu machine0 = MachineCpu.read();
                long at0 = System.nanoTime();
                Thread.sleep(window * 1000L);
                double seconds = (System.nanoTime() - at0) / 1e9;
                MachineCpu machine = MachineCpu.read();
                JsonObject health = health(port + 1);
                double trades = health.getJsonNumber("ticksProduced").doubleValue() - health0.getJsonNumber("ticksProduced").doubleValue();
                JsonObjectBuilder record = Json.createObjectBuilder()
                        .add("scenario", "cluster-readers").add("symbols", symbols).add("readers", count)
                        .add("producedTradesPerSecond", trades / seconds)
                        .add("redisCpuCores", (cpuNanos(redis) - redis0) / 1e9 / seconds)
                        .add("nodeCpuCores", (cpuNanos(nodePid) - node0) / 1e9 / seconds)
                        .add("readerEntriesPerSecond", count == 0 ? 0 : (readers.entries() - entries0) / seconds / count)
                        .add("readerBytesPerSecond", (readers.bytes() - bytes0) / seconds);
                if (machine0 != null && machine != null) {
                    int cores = Runtime.getRuntime().availableProcessors();
                    record.add("machineBusyCores", machine.busyPercentSince(machine0) / 100 * cores)
                            .add("machineStealCores", machine.stealPercentSince(machine0) / 100 * cores);
                }
                JsonObject result = add(record);
                System.out.printf(Locale.ROOT, "  %3d readers: Redis %.3f cores, node %.3f cores, %.1f batches/s a reader, %.1f MB/s to readers%n",
                        count, result.getJsonNumber("redisCpuCores").doubleValue(), result.getJsonNumber("nodeCpuCores").doubleValue(),
                        result.getJsonNumber("readerEntriesPerSecond").doubleValue(),
                        result.getJsonNumber("readerBytesPerSecond").doubleValue() / 1e6);
            }
        }
        down();
    }

    // ---- part 3: failover under load, and the same quotes everywhere ----------------------------

    private void failover(int events) throws Exception {
        int clientsPerNode = smoke ? 20 : 200;
        System.out.printf(Locale.ROOT, "%n=== cluster failover: 30 symbols, %d nodes, %d clients a node, %d leader stops%n",
                NODES, clientsPerNode, events);
        up(NODES, "-Dticker.seed=1 -Dticker.symbols=30");
        int observe = 15;
        int restartAllowance = 40;
        List<Process> loadgens = new ArrayList<>();
        for (int node = 1; node <= NODES; node++) {
            loadgens.add(loadgen(node, clientsPerNode, "all", 5, 10 + events * (observe + restartAllowance), 0));
        }
        QuoteRecorder.Book book = new QuoteRecorder.Book();
        LongAdder seqGaps = new LongAdder();
        HttpClient wsClient = HttpClient.newBuilder().executor(Runnable::run).build();
        URI balancer = URI.create("ws://127.0.0.1:" + port + "/ticker/ws/quotes");
        List<QuoteRecorder> recorders = new ArrayList<>();
        for (int node = 1; node <= NODES; node++) {
            recorders.add(new QuoteRecorder(wsClient, URI.create("ws://127.0.0.1:" + (port + node) + "/ticker/ws/quotes"), balancer, book, seqGaps));
        }
        for (int i = 0; i < (smoke ? 6 : 30); i++) {
            recorders.add(new QuoteRecorder(wsClient, balancer, balancer, book, seqGaps));
        }
        await(() -> recorders.stream().noneMatch(r -> r.node().isEmpty()), 30, "every recorder welcomed");
        Thread.sleep(5_000);
        for (int event = 1; event <= events; event++) {
            boolean graceful = event == events && events > 1;
            int leader = leader();
            long term = health(port + leader).getJsonObject("cluster").getJsonNumber("term").longValue();
            Map<QuoteRecorder, String> nodeAtStop = new HashMap<>();
            recorders.forEach(r -> nodeAtStop.put(r, r.node()));
            String killed = "node-" + leader;
            ProcessHandle process = ProcessHandle.of(nodePid(leader)).orElseThrow();
            long t0 = System.nanoTime() / 1_000_000;
            if (graceful) {
                process.destroy();
            } else {
                process.destroyForcibly();
            }
            long newLeaderMs = -1;
            int newLeader = 0;
            while (System.nanoTime() / 1_000_000 - t0 < observe * 1000L) {
                for (int node = 1; node <= NODES && newLeaderMs < 0; node++) {
                    if (node != leader) {
                        JsonObject h = health(port + node);
                        if ("leader".equals(h.getString("role", "")) && h.getJsonObject("cluster").getJsonNumber("term").longValue() > term) {
                            newLeaderMs = System.nanoTime() / 1_000_000 - t0;
                            newLeader = node;
                        }
                    }
                }
                Thread.sleep(20);
            }
            // Clients on other nodes: the longest wait for quotes across the stop, and whether any lost its connection.
            List<Long> pauses = new ArrayList<>();
            int survivorsClosed = 0;
            List<Long> backAfter = new ArrayList<>();
            int dead = 0;
            for (QuoteRecorder r : recorders) {
                if (nodeAtStop.get(r).equals(killed)) {
                    dead++;
                    r.snapshots().stream().filter(at -> at > t0).findFirst().ifPresent(at -> backAfter.add(at - t0));
                } else {
                    pauses.add(pauseAcross(r.arrivals(), t0));
                    if (r.closes().stream().anyMatch(at -> at > t0)) {
                        survivorsClosed++;
                    }
                }
            }
            JsonObjectBuilder record = Json.createObjectBuilder()
                    .add("scenario", "cluster-failover").add("event", event)
                    .add("stop", graceful ? "undeploy (SIGTERM)" : "kill -9").add("stopped", killed)
                    .add("newLeader", newLeader == 0 ? "" : "node-" + newLeader)
                    .add("newLeaderMs", newLeaderMs)
                    .add("survivorPauseMs", stats(pauses))
                    .add("survivorClientsClosed", survivorsClosed)
                    .add("survivorClients", pauses.size())
                    .add("deadNodeClients", dead)
                    .add("deadNodeClientsBack", backAfter.size())
                    .add("deadNodeClientsBackMs", stats(backAfter));
            JsonObject result = add(record);
            System.out.println("  " + result);
            startNode(leader, "-Dticker.seed=1 -Dticker.symbols=30");
            Thread.sleep(10_000);
        }
        recorders.forEach(QuoteRecorder::close);
        JsonObjectBuilder same = Json.createObjectBuilder()
                .add("scenario", "cluster-same-quotes")
                .add("trades", book.trades())
                .add("tradesOnSeveralNodes", book.onSeveralNodes())
                .add("conflicts", book.conflicts.sum())
                .add("recorders", recorders.size())
                .add("seqGaps", seqGaps.sum());
        JsonArrayBuilder examples = Json.createArrayBuilder();
        book.examples.forEach(examples::add);
        add(same.add("conflictExamples", examples));
        System.out.printf(Locale.ROOT, "  %d trades recorded, %d of them on several nodes, %d with differing bytes, %d seq gaps%n",
                book.trades(), book.onSeveralNodes(), book.conflicts.sum(), seqGaps.sum());
        for (Process p : loadgens) {
            p.destroy();                // their clients' numbers span the stops; the recorders measured them
            p.waitFor(30, TimeUnit.SECONDS);
        }
        down();
    }

    /**
     * The longest wait for quotes that ended after {@code t0}, ms: quotes already on the bus still
     * arrive just after a leader dies, so the silence comes later than the stop itself. -1 if none
     * came after {@code t0}.
     */
    static long pauseAcross(List<Long> arrivals, long t0) {
        long longest = -1;
        long previous = t0;
        for (long at : arrivals) {
            if (at > t0) {
                longest = Math.max(longest, at - previous);
            }
            previous = at;
        }
        return longest;
    }

    private static JsonObject stats(List<Long> values) {
        List<Long> sorted = values.stream().filter(v -> v >= 0).sorted().toList();
        JsonObjectBuilder s = Json.createObjectBuilder().add("count", sorted.size());
        if (!sorted.isEmpty()) {
            s.add("min", sorted.get(0)).add("p50", sorted.get(sorted.size() / 2)).add("max", sorted.get(sorted.size() - 1));
        }
        return s.build();
    }

    // ---- plumbing --------------------------------------------------------------------------------

    private JsonObject add(JsonObjectBuilder record) throws IOException {
        JsonObject result = record.add("commit", Benchmark.commitOf())
                .add("measuredAt", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
                .build();
        results.add(result);
        JsonArrayBuilder array = Json.createArrayBuilder();
        results.forEach(array::add);
        Files.writeString(resultsFile, array.build().toString() + "\n");
        return result;
    }

    private Process loadgen(int node, int clients, String symbols, int warmup, int duration, int hold) throws IOException {
        Path out = loadgenOut(node);
        Files.deleteIfExists(out);
        // A read buffer that holds the whole 10,000-symbol welcome (about 560 KB with the
        // instruments' names): with the default (16 KB slices, three a read), the JDK client now
        // and then drops the bytes that came in the same read as the 101 response, and fails with
        // "Unexpected rsv1 bit" (bench/analysis.md).
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g",
                "-Djdk.httpclient.bufsize=1048576", "-cp", options.loadgenJar().toString(), LoadGenerator.class.getName(),
                "--url", "ws://127.0.0.1:" + (port + node) + "/ticker/ws/quotes",
                "--clients", String.valueOf(clients), "--symbols", symbols, "--connect-rate", "200",
                "--warmup", String.valueOf(warmup), "--duration", String.valueOf(duration), "--hold", String.valueOf(hold),
                "--http-clients", "1",
                "--server-pid", String.valueOf(nodePid(node)),
                "--server-health", "http://127.0.0.1:" + (port + node) + "/ticker/health",
                "--out", out.toString());
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(options.work().resolve("cluster-loadgen-" + node + ".log").toFile()).start();
    }

    private Path loadgenOut(int node) {
        return options.work().resolve("cluster-loadgen-" + node + ".json");
    }

    private static void awaitAll(List<Process> processes, int seconds) throws Exception {
        for (Process p : processes) {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("a load generator did not finish in " + seconds + " s");
            }
            if (p.exitValue() != 0) {
                throw new IOException("a load generator failed (exit " + p.exitValue() + "); see target/bench/cluster-loadgen-*.log");
            }
        }
    }

    private void up(int nodes, String javaOptions) throws Exception {
        down();
        deleteTree(dir);
        script(javaOptions, "up", "--detach", "--nodes", String.valueOf(nodes));
        for (int node = 1; node <= nodes; node++) {
            int p = port + node;
            await(() -> "UP".equals(health(p).getString("status", "")), 120, "node-" + node + " UP");
        }
        // Three nodes starting on two cores leave a 10,000-symbol market seconds behind the clock,
        // and it catches up from the log's stored state (up to catchUpMillis): measured during
        // that, every quote is seconds late. Measure the cluster once it has caught up.
        if (!javaOptions.contains("-Dticker.broker= ")) {
            for (int node = 1; node <= nodes; node++) {
                int p = port + node;
                await(() -> {
                    JsonObject cluster = health(p).getJsonObject("cluster");
                    return cluster != null && cluster.getJsonNumber("busLagMs").longValue() < 500;
                }, 180, "node-" + node + " within 500 ms of the clock");
            }
        }
    }

    private void startNode(int node, String javaOptions) throws Exception {
        script(javaOptions, "node", String.valueOf(node));
        await(() -> "UP".equals(health(port + node).getString("status", "")), 120, "node-" + node + " UP again");
    }

    private void down() throws Exception {
        if (Files.exists(dir)) {
            script("", "down");
        }
    }

    private void script(String javaOptions, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "cluster/run"));
        command.addAll(List.of(args));
        command.addAll(List.of("--no-build", "--dir", dir.toString(), "--port", String.valueOf(port), "--servers", "tomcat"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(options.work().resolve("cluster-run.log").toFile()));
        if (!javaOptions.isEmpty()) {
            builder.environment().put("CLUSTER_JAVA_OPTS", javaOptions);
        }
        Process process = builder.start();
        if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("cluster/run " + String.join(" ", args) + " failed; see " + options.work().resolve("cluster-run.log"));
        }
    }

    private long nodePid(int node) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("node-" + node + "/node.pid")).trim());
    }

    private long redisPid() throws IOException {
        return Long.parseLong(Files.readString(dir.resolve("redis/redis.pid")).trim());
    }

    private static long cpuNanos(long pid) throws IOException {
        return new ServerProbe(pid, null).cpuNanos();
    }

    private int leader() throws Exception {
        int[] found = {0};
        await(() -> {
            for (int node = 1; node <= NODES; node++) {
                if ("leader".equals(health(port + node).getString("role", ""))) {
                    found[0] = node;
                    return true;
                }
            }
            return false;
        }, 30, "a leader");
        return found[0];
    }

    private JsonObject health(int p) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p + "/ticker/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return Json.createReader(new java.io.StringReader(response.body())).readObject();
        } catch (IOException | RuntimeException e) {
            return JsonObject.EMPTY_JSON_OBJECT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JsonObject.EMPTY_JSON_OBJECT;
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static void await(Check check, int seconds, String what) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IOException("timed out after " + seconds + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (Files.exists(root)) {
            try (var files = Files.walk(root)) {
                files.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
            }
        }
    }
}
