package dev.ticker.loadgen;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The benchmark: starts each server in turn (the WAR on a chosen container, and the Node reference
 * server), runs the scenarios against both in the same run, alternating, with the load generator
 * in processes of its own, and writes every result to {@link Options#results()} and the report
 * ({@link Report}). Run through {@code bench/run}, which builds and unpacks what this needs.
 *
 * <p>Scenarios: (1) fan-out sweep, 1,000 clients on all of 500 symbols, the tick rate rising until
 * p99 passes 100 ms or fewer than 99% of the quotes the conflation policy promises arrive;
 * (2) capacity, 10,000 and 19,000 clients on 20 random symbols; (3) a burst of 2,000 handshakes at
 * once; (4) slow consumers, 10% of the clients stop reading; (5) the fan-out on every container;
 * and permessage-deflate, off and on, with Node's ws client (the JDK's cannot offer it).
 */
public final class Benchmark {

    /** Connections one load generator process holds; the machine allows 20,000 descriptors a process. */
    static final int CLIENTS_PER_PROCESS = 9_000;

    /**
     * From this many clients a load generator process runs ZGC instead of G1. Each process of the
     * 19,000-client run holds 6,333 connections, hundreds of MB of long-lived JDK client state;
     * G1's young pauses there were 100 to 500 ms every 2 to 7 s in every process (their GC logs),
     * and each process's worst seconds of latency were those of its own pauses: the clients, not
     * the server, were late. With ZGC its pauses were under 0.1 ms and its cycles fell in the
     * connecting phase. Runs of fewer, busier clients (fan-out: one process of 1,000 parsing up to
     * a million quotes a second, a high rate of short-lived garbage) keep G1, as on every earlier page.
     */
    static final int ZGC_FROM_CLIENTS = 4_000;

    /**
     * Connections a second the capacity runs open, over all load generator processes. With
     * thousands of clients already streaming, server and load generator fill both cores: at 1,000
     * a second the handshakes queued past the JDK client's 30 s timeout and thousands failed in the
     * 19,000 run, on every server and the reference; at 300 the last ones still took 26-30 s. The
     * capacity runs measure holding connections, not opening them (the burst scenario does that).
     */
    static final int CAPACITY_CONNECT_RATE = 200;

    /** Quote latency, ms, that ends the sweep for a server. */
    static final int SWEEP_P99_LIMIT_MS = 100;
    /**
     * Warm-up of every fan-out run (sweep and other servers). With 10 s, a JVM server was still
     * compiling its send path in the measured window (the JIT was 8-9% of WildFly's CPU there, 2%
     * after 90 s) and the sweep's top step compared a fresh JVM with a warm V8: WildFly missed 600
     * trades/s twice with 10 s and passed it with 30 and with 90 (bench/analysis.md).
     */
    static final int FANOUT_WARMUP_SECONDS = 30;

    /** Unmeasured handshake bursts before the measured ones (Node client), and measured bursts. */
    static final int BURST_WARMUPS = 3;
    /**
     * And for at least this long: after three bursts (6,500 handshakes, about 10 s) the JIT was
     * still over half of WildFly's CPU, and its measured rounds rose from 1,900 to 4,000 a second.
     */
    static final int BURST_WARM_SECONDS = 30;
    static final int BURST_ROUNDS = 5;

    /**
     * Share of the machine's CPU (all cores) the host's hypervisor may steal during a sweep run's
     * warm-up or measured seconds before a miss in that run stops counting: such a run measured the
     * host. 3%: runs here lose 0-1.5% most of the time, and 5-18% while another guest is busy.
     */
    static final double SWEEP_STOLEN_MAX = 0.03;

    /** Runs of one sweep step, per server, that may be set aside as disturbed by the host. */
    static final int SWEEP_DISTURBED_RERUNS = 2;

    /**
     * Runs of every fan-out step (sweep and every server), per server, unless --runs says otherwise:
     * a single run on this shared 2-core machine now and then has its p99 doubled or its CPU per
     * quote raised by 10-20 % by a scheduling stall, so each step reports the median and the spread
     * of three, and a step passes when most of its runs do.
     */
    static final int RUNS_PER_STEP = 3;

    /** Share of the promised quotes below which the sweep ends for a server. */
    static final double SWEEP_DELIVERED_MIN = 0.99;

    /** Where bench/run unpacks async-profiler (from Maven Central) when asked for --profile. */
    static final Path PROFILER_LIBRARY = Path.of("target/bench/tools/libasyncProfiler.so");

    record Options(Path war, Path serversDir, Path glassfishJar, Path benchDir, Path work, Path loadgenJar,
                   Path out, boolean smoke, List<String> servers, List<String> scenarios, int port,
                   boolean reportOnly, String command, String profile, List<Integer> rates,
                   Integer warmup, List<String> serverJvmOptions, Pinning pinning, String client, int runs, List<String> variants) {

        static Options parse(String[] args) {
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--smoke") || args[i].equals("--report-only")) {
                    map.put(args[i].substring(2), "true");
                } else if (args[i].startsWith("--") && i + 1 < args.length) {
                    map.put(args[i].substring(2), args[++i]);
                } else {
                    throw new IllegalArgumentException("unexpected argument " + args[i]);
                }
            }
            boolean smoke = map.containsKey("smoke");
            String profile = map.get("profile");
            if (profile != null) {
                Profile.startCommand(profile);          // fails on an unknown event
            }
            // A profiled run measures a server with a profiler in it: its numbers go elsewhere and
            // never into the page's results.
            String work = map.getOrDefault("work", profile != null ? "target/bench/profile" : "target/bench");
            return new Options(
                    Path.of(map.getOrDefault("war", "target/ticker.war")),
                    Path.of(map.getOrDefault("servers-dir", "target/servers")),
                    Path.of(map.getOrDefault("glassfish-jar", "target/servers/glassfish-embedded-all.jar")),
                    Path.of(map.getOrDefault("bench-dir", "bench")),
                    Path.of(work),
                    Path.of(map.getOrDefault("loadgen-jar", "bench/loadgen/target/ticker-loadgen.jar")),
                    Path.of(map.getOrDefault("out", smoke ? "target/bench/benchmarks.md"
                            : profile != null ? work + "/benchmarks.md" : "docs/benchmarks.md")),
                    smoke,
                    List.of(map.getOrDefault("servers", smoke ? "tomcat" : "wildfly,tomcat,glassfish,payara").split(",")),
                    List.of(map.getOrDefault("scenarios", "fanout,capacity,burst,slow,deflate,sse,servers,cluster").split(",")),
                    Integer.parseInt(map.getOrDefault("port", "18480")),
                    map.containsKey("report-only"),
                    map.getOrDefault("command", "bench/run"),
                    profile,
                    map.containsKey("rates") ? Arrays.stream(map.get("rates").split(",")).map(Integer::valueOf).toList() : null,
                    map.containsKey("warmup") ? Integer.valueOf(map.get("warmup")) : null,
                    map.containsKey("server-jvm-options") ? List.of(map.get("server-jvm-options").trim().split("\\s+")) : List.of(),
                    Pinning.of(map.getOrDefault("pin", "auto"), Runtime.getRuntime().availableProcessors()),
                    clientName(map.getOrDefault("client", "lean")),
                    Integer.parseInt(map.getOrDefault("runs", smoke ? "1" : String.valueOf(RUNS_PER_STEP))),
                    variantList(map.getOrDefault("variant", "text,binary"), map.getOrDefault("client", "lean")));
        }

        /**
         * Where the results go: beside the page's charts ({@code docs/benchmarks/results.json} for
         * the page), so that the page's numbers are kept with it and a partial run of a later day
         * (--scenarios) replaces only its own scenarios'.
         */
        Path results() {
            return out().toAbsolutePath().getParent().resolve("benchmarks")
                    .resolve(smoke() ? "smoke-results.json" : "results.json");
        }
    }

    /**
     * The protocol's variants the WebSocket clients ask for: text ({@code ticker.v1}) or binary
     * ({@code ticker.v1.binary}). The {@code servers} scenario measures every side in each; the
     * other scenarios use the first.
     */
    private static List<String> variantList(String names, String client) {
        List<String> variants = List.of(names.split(","));
        for (String name : variants) {
            if (!name.equals("text") && !name.equals("binary")) {
                throw new IllegalArgumentException("--variant is text, binary or text,binary, not " + names);
            }
        }
        if (variants.contains("binary") && !client.equals("lean")) {
            throw new IllegalArgumentException("--variant binary needs --client lean (--variant text with --client jdk)");
        }
        return variants;
    }

    private static String clientName(String name) {
        if (!name.equals("jdk") && !name.equals("lean")) {
            throw new IllegalArgumentException("--client is jdk or lean, not " + name);
        }
        return name;
    }

    /**
     * What the load generator does in one run; {@code variant} null: the run's first
     * {@code --variant} (Server-Sent Events have only text).
     */
    record Load(int clients, String symbols, int connectRate, int warmupSeconds, int durationSeconds, int stalled,
                int prewarm, String transport, String variant) {

        Load(int clients, String symbols, int connectRate, int warmupSeconds, int durationSeconds, int stalled,
             int prewarm, String transport) {
            this(clients, symbols, connectRate, warmupSeconds, durationSeconds, stalled, prewarm, transport, null);
        }

        Load(int clients, String symbols, int connectRate, int warmupSeconds, int durationSeconds, int stalled) {
            this(clients, symbols, connectRate, warmupSeconds, durationSeconds, stalled, 0);
        }

        Load(int clients, String symbols, int connectRate, int warmupSeconds, int durationSeconds, int stalled, int prewarm) {
            this(clients, symbols, connectRate, warmupSeconds, durationSeconds, stalled, prewarm, "websocket");
        }

        Load inVariant(String variant) {
            return new Load(clients, symbols, connectRate, warmupSeconds, durationSeconds, stalled, prewarm, transport, variant);
        }
    }

    /** The variant a run of {@code load} asks for. */
    private String variant(Load load) {
        return load.transport().equals("sse") ? "text" : load.variant() != null ? load.variant() : options.variants().get(0);
    }

    private final Options options;
    private final Servers servers;
    private final List<JsonObject> results = new ArrayList<>();
    private final Path resultsFile;
    private int clusterProblems;       // what the cluster scenario's smoke run found

    private Benchmark(Options options) {
        this.options = options;
        this.servers = new Servers(options.war(), options.serversDir(), options.glassfishJar(), options.benchDir(),
                options.work(), options.serverJvmOptions(), options.pinning());
        this.resultsFile = options.results();
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: bench/run [--smoke] [--servers wildfly,tomcat,glassfish,payara]"
                    + " [--scenarios fanout,capacity,burst,slow,deflate,sse,servers] [--report-only]"
                    + " [--rates 300,400 (fan-out trades/s)] [--warmup S (fan-out)] [--profile cpu|alloc|wall]"
                    + " [--server-jvm-options \"-XX:+UseZGC ...\" (added to every JVM server's)]"
                    + " [--pin auto|off|SERVER:LOADGEN (CPUs for taskset -c; auto: the server on CPU 0, the rest for the load)]"
                    + " [--client lean|jdk (the load generator's WebSocket client; lean by default)]"
                    + " [--runs N (runs of every fan-out step, per server; 3 by default)]"
                    + " [--variant text,binary (the protocol variants the lean client asks for: the servers scenario"
                    + " measures each, the others the first; text,binary by default)]");
            System.exit(2);
            return;
        }
        System.exit(new Benchmark(options).run());
    }

    private int run() throws Exception {
        Files.createDirectories(options.work());
        Files.createDirectories(resultsFile.getParent());
        if (options.reportOnly()) {
            results.addAll(read(resultsFile));
        } else {
            // A partial run (--scenarios) replaces those scenarios' results and keeps the others.
            if (Files.exists(resultsFile)) {
                for (JsonObject r : read(resultsFile)) {
                    String scenario = r.getString("scenario");
                    String family = scenario.startsWith("slow") ? "slow" : scenario.startsWith("burst") ? "burst"
                            : scenario.startsWith("servers") ? "servers" : scenario;
                    if (!options.scenarios().contains(family)) {
                        results.add(r);
                    }
                }
            }
            long start = System.nanoTime();
            for (String scenario : options.scenarios()) {
                switch (scenario) {
                    case "fanout" -> fanout();
                    case "capacity" -> capacity();
                    case "burst" -> burst();
                    case "slow" -> slow();
                    case "deflate" -> deflate();
                    case "sse" -> eventStreams();
                    case "servers" -> otherServers();
                    case "cluster" -> clusterProblems = new ClusterBenchmark(options).run();
                    default -> throw new IllegalArgumentException("unknown scenario " + scenario);
                }
            }
            System.out.printf(Locale.ROOT, "%nbenchmark took %.1f minutes%n", (System.nanoTime() - start) / 60e9);
        }
        if (options.reportOnly() || !options.scenarios().equals(List.of("cluster"))) {
            new Report(options, results).write();
            System.out.println("report written to " + options.out().toAbsolutePath());
        }
        if (options.reportOnly() && Files.exists(options.work().resolve("cluster-results.json"))) {
            new ClusterReport(read(options.work().resolve("cluster-results.json")), options.command())
                    .write(Path.of("docs/benchmarks-cluster.md"));
        }
        if (!options.smoke()) {
            return 0;
        }
        return smokeVerdict() == 0 && clusterProblems == 0 ? 0 : 1;
    }

    // ---- scenarios -------------------------------------------------------------------------------

    private Servers.Kind ticker() {
        return servers.kind(options.servers().get(0));
    }

    private Servers.Kind reference() {
        return servers.kind("reference");
    }

    /** The two sides of the comparison, in the order of this step: they take turns going first. */
    private List<Servers.Kind> alternating(int step) {
        return step % 2 == 0 ? List.of(ticker(), reference()) : List.of(reference(), ticker());
    }

    private void fanout() throws Exception {
        int symbols = 500;
        int flush = 50;
        List<Integer> rates = options.rates() != null ? options.rates()
                : options.smoke() ? List.of(100) : List.of(50, 100, 200, 300, 400, 600, 800, 1000, 1200, 1600, 2000, 3000);
        Load load = options.smoke() ? new Load(200, "all", 1000, 2, 5, 0)
                : new Load(1000, "all", 1000, fanoutWarmup(), 20, 0);
        int runs = options.runs();
        Map<String, Boolean> done = new LinkedHashMap<>();
        for (int step = 0; step < rates.size(); step++) {
            int rate = rates.get(step);
            Servers.Market market = new Servers.Market(symbols, rate / (double) symbols, flush, 10_000);
            // Every step is run `runs` times for each server, the two taking turns going first, and
            // a server stops at the first step most of whose runs missed: this machine's two cores
            // are shared by server, load generator and kernel, and a single run now and then has
            // its p99 doubled by a scheduling stall (bench/analysis.md). A missed run during which
            // the host stole more than SWEEP_STOLEN_MAX of the machine is set aside and run again
            // (up to SWEEP_DISTURBED_RERUNS a step): it measured the other guests.
            Map<String, Integer> misses = new LinkedHashMap<>();
            Map<String, Integer> attempts = new LinkedHashMap<>();
            Map<String, Integer> disturbed = new LinkedHashMap<>();
            for (int run = 0; run < runs; run++) {
                for (Servers.Kind kind : alternating(step + run)) {
                    if (done.getOrDefault(kind.name(), false) || misses.getOrDefault(kind.name(), 0) * 2 > runs) {
                        continue;                 // already decided: most of this step's runs missed
                    }
                    while (true) {
                        int attempt = attempts.merge(kind.name(), 1, Integer::sum);
                        JsonObject result = measure("fanout", kind, market, load, attempt);
                        if (Step.within(result)) {
                            break;
                        }
                        double promised = result.getJsonNumber("promisedQuotesPerSecond").doubleValue();
                        double delivered = result.getJsonNumber("quotesPerSecond").doubleValue();
                        double stolen = stolenShare(result);
                        boolean setAside = stolen > SWEEP_STOLEN_MAX && disturbed.getOrDefault(kind.name(), 0) < SWEEP_DISTURBED_RERUNS;
                        System.out.printf(Locale.ROOT, "%s missed at %d trades/s (p99 %d ms, delivered %.1f%% of promised)%s%n",
                                kind.label(), rate, Step.p99(result), 100 * delivered / promised,
                                setAside ? String.format(Locale.ROOT, "; the host stole %.1f%% of the machine: set aside, once more",
                                        100 * stolen) : "");
                        if (!setAside) {
                            misses.merge(kind.name(), 1, Integer::sum);
                            break;
                        }
                        disturbed.merge(kind.name(), 1, Integer::sum);
                        markDisturbed(result);
                    }
                }
            }
            for (Servers.Kind kind : alternating(step)) {
                if (!done.getOrDefault(kind.name(), false) && misses.getOrDefault(kind.name(), 0) * 2 >= runs) {
                    System.out.printf(Locale.ROOT, "%s saturated at %d trades/s (%d of %d runs missed)%n", kind.label(), rate,
                            misses.get(kind.name()), runs);
                    done.put(kind.name(), true);
                }
            }
            if (done.size() == 2) {
                break;
            }
        }
    }

    /** Marks {@code result}, already recorded, as set aside: the host disturbed its run. */
    private void markDisturbed(JsonObject result) throws IOException {
        int i = results.lastIndexOf(result);
        results.set(i, Json.createObjectBuilder(result).add("disturbed", true).build());
        save();
    }

    /**
     * The larger share of the machine's CPU (all cores) the host stole during {@code result}'s
     * warm-up or its measured seconds; 0 where the load generator could not read it.
     */
    static double stolenShare(JsonObject result) {
        double cores = Runtime.getRuntime().availableProcessors();
        return Math.max(number(result, "machineStealCores"), number(result, "warmupMachineStealCores")) / cores;
    }

    private int fanoutWarmup() {
        return options.warmup() != null ? options.warmup() : FANOUT_WARMUP_SECONDS;
    }

    private void capacity() throws Exception {
        List<Integer> sizes = options.smoke() ? List.of(300) : List.of(10_000, 19_000);
        Servers.Market market = new Servers.Market(500, 0.05, 50, 10_000);
        for (int i = 0; i < sizes.size(); i++) {
            int clients = sizes.get(i);
            Load load = new Load(clients, "20", options.smoke() ? 300 : CAPACITY_CONNECT_RATE, options.smoke() ? 2 : 10,
                    options.smoke() ? 5 : 20, 0, options.smoke() ? 0 : 200);
            for (Servers.Kind kind : alternating(i)) {
                measure("capacity", kind, market, load);
            }
        }
    }

    private void burst() throws Exception {
        int clients = options.smoke() ? 200 : 2000;
        Servers.Market market = new Servers.Market(500, 0.05, 50, 10_000);
        for (Servers.Kind kind : alternating(0)) {
            measure("burst", kind, market, new Load(clients, "20", 0, 2, 5, 0, options.smoke() ? 50 : 500));
        }
        for (Servers.Kind kind : alternating(1)) {
            burstFromNode(kind, market, clients, options.smoke() ? 50 : 500);
        }
    }

    /**
     * The same burst from Node's ws client (bench/reference/burst.mjs): the JDK client the load
     * generator uses tops out at about 850 handshakes a second here, below what the servers take.
     */
    private void burstFromNode(Servers.Kind kind, Servers.Market market, int clients, int prewarm) throws Exception {
        System.out.printf(Locale.ROOT, "%n=== burst (Node ws client): %s, %d clients at once%n", kind.label(), clients);
        Servers.Running server = kind.start(options.port(), market);
        String line;
        double serverCpuNanos;
        try {
            ServerProbe probe = new ServerProbe(server.pid(), null);
            boolean profiled = options.profile() != null && server.heapProbe().equals("jcmd");
            Path profiles = options.work().resolve("profiles");
            Path profileOut = profiles.resolve("burst-node-" + kind.name() + "-" + options.profile());
            if (profiled) {
                Files.createDirectories(profiles);
                probe.primeProfiler(PROFILER_LIBRARY, options.profile(), profileOut);     // paid in the warm-up
            }
            Process node = new ProcessBuilder(options.pinning().loadgen(List.of("node", "burst.mjs", "--url", server.wsUrl(),
                    "--clients", String.valueOf(clients), "--prewarm", String.valueOf(prewarm),
                    "--warm-bursts", String.valueOf(options.smoke() ? 1 : BURST_WARMUPS),
                    "--warm-seconds", String.valueOf(options.smoke() ? 0 : BURST_WARM_SECONDS),
                    "--rounds", String.valueOf(options.smoke() ? 1 : BURST_ROUNDS))))
                    .directory(options.benchDir().resolve("reference").toFile()).redirectErrorStream(true).start();
            // The server's CPU (and the profile) cover the measured rounds only: burst.mjs says
            // "measuring" when its warm-up is over.
            long cpu0 = -1;
            StringBuilder output = new StringBuilder();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                for (String read; (read = out.readLine()) != null; ) {
                    if (read.equals("measuring") && cpu0 < 0) {
                        if (profiled) {
                            probe.profiler(PROFILER_LIBRARY, Profile.startCommand(options.profile()));
                        }
                        cpu0 = probe.cpuNanos();
                    } else {
                        output.append(read).append('\n');
                    }
                }
            }
            line = output.toString().trim();
            if (!node.waitFor(300, TimeUnit.SECONDS) || node.exitValue() != 0 || cpu0 < 0) {
                throw new IOException("burst.mjs failed: " + line);
            }
            serverCpuNanos = probe.cpuNanos() - cpu0;
            if (profiled) {
                Path summary = probe.stopProfiler(PROFILER_LIBRARY, options.profile(), profileOut);
                System.out.println("  profile (" + options.profile() + ") of the measured rounds: " + summary);
            }
        } finally {
            server.stop();
        }
        System.out.println("  " + line);
        JsonObject measured;
        try (JsonReader reader = Json.createReader(new java.io.StringReader(line.substring(line.lastIndexOf('\n') + 1)))) {
            measured = reader.readObject();
        }
        JsonObjectBuilder record = Json.createObjectBuilder(measured)
                .add("scenario", "burst-node")
                .add("server", kind.name())
                .add("label", kind.label())
                .add("ticker", kind.isTicker())
                .add("clients", clients)
                .add("prewarm", prewarm)
                .add("connectedAtEnd", measured.getInt("opened"))
                // Everything the server did over the measured rounds (their handshakes, welcomes,
                // subscribes and closes, and the idle market meanwhile) over their handshakes.
                .add("serverCpuMicrosPerHandshake", serverCpuNanos / 1000 / measured.getInt("handshakesTotal"))
                .add("quotesPerSecond", 0)
                .add("seqGaps", 0)
                .add("unexpectedCloses", 0);
        provenance(record);
        results.add(record.build());
        save();
    }

    private void slow() throws Exception {
        int clients = options.smoke() ? 200 : 1000;
        int rate = 200;
        Servers.Market market = new Servers.Market(500, rate / 500.0, 50, 10_000);
        // Long enough for the kernel to stop absorbing the stalled clients' frames (it autotunes a
        // socket's send buffer up to 4 MB: about 90 s at this rate) and for the 10 s send timeout.
        int duration = options.smoke() ? 5 : 150;
        // 20 s of warm-up: with 5, WildFly's first 15-18 measured seconds of the run with stalled
        // clients were a fresh JVM catching up (per-second p99 up to 1.5 s, then 70-90 ms for the
        // remaining two minutes), which set the run's p99 and compared a cold start, not the
        // stalled clients' effect, with the baseline.
        int warmup = options.smoke() ? 5 : 20;
        for (Servers.Kind kind : alternating(1)) {
            measure("slow-baseline", kind, market, new Load(clients, "all", 1000, warmup, duration, 0));
            measure("slow", kind, market, new Load(clients, "all", 1000, warmup, duration, clients / 10));
        }
    }

    /**
     * permessage-deflate: the same fan-out with clients that offer it and clients that do not, on
     * servers that grant it (Ticker with {@code ticker.permessageDeflate=true}). The clients are
     * Node's ws client (bench/reference/clients.mjs), the only one at hand that can offer the
     * extension; both halves use it, so the ratio compares compression and nothing else.
     */
    private void deflate() throws Exception {
        int clients = options.smoke() ? 100 : 300;
        int rate = 100;
        Servers.Market market = new Servers.Market(500, rate / 500.0, 50, 10_000, true);
        int step = 0;
        for (boolean offered : List.of(false, true)) {
            for (Servers.Kind kind : alternating(step++)) {
                nodeClients(kind, market, clients, offered, options.smoke() ? 2 : 10, options.smoke() ? 5 : 20);
            }
        }
    }

    /**
     * The same fan-out over WebSocket and over Server-Sent Events, on the server under test: the
     * same clients (the load generator's), the same market, taking turns going first. There is no
     * reference beside it: the Node server speaks WebSocket only.
     */
    private void eventStreams() throws Exception {
        int clients = options.smoke() ? 100 : 1000;
        int rate = options.smoke() ? 100 : 200;
        Servers.Market market = new Servers.Market(500, rate / 500.0, 50, 10_000);
        List<String> transports = List.of("websocket", "sse");
        int runs = options.smoke() ? 1 : 2;
        for (int run = 0; run < runs; run++) {
            for (int i = 0; i < transports.size(); i++) {
                String transport = transports.get((i + run) % transports.size());
                measure("sse", ticker(), market, new Load(clients, "all", 1000, options.smoke() ? 2 : 10,
                        options.smoke() ? 5 : 20, 0, 0, transport), run + 1);
            }
        }
    }

    private void nodeClients(Servers.Kind kind, Servers.Market market, int clients, boolean deflate, int warmup,
                             int duration) throws Exception {
        System.out.printf(Locale.ROOT, "%n=== deflate: %s, %d clients (Node ws client) %s permessage-deflate%n",
                kind.label(), clients, deflate ? "offering" : "not offering");
        Servers.Running server = kind.start(options.port(), market);
        JsonObject measured;
        double serverCpuCores = 0;
        long heap0;
        long heapN = -1;
        long rss0;
        long rssN = -1;
        try {
            ServerProbe probe = new ServerProbe(server.pid(), server.heapProbe());
            heap0 = probe.heapAfterGcBytes();
            rss0 = probe.rssBytes();
            Process node = new ProcessBuilder(options.pinning().loadgen(List.of("node", "clients.mjs", "--url", server.wsUrl(),
                    "--clients", String.valueOf(clients), "--deflate", String.valueOf(deflate),
                    "--warmup", String.valueOf(warmup), "--duration", String.valueOf(duration), "--hold", "30")))
                    .directory(options.benchDir().resolve("reference").toFile()).redirectErrorStream(true).start();
            long cpu0 = 0;
            long start = 0;
            String last = "";
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.equals("measuring")) {
                        cpu0 = probe.cpuNanos();
                        start = System.nanoTime();
                    } else if (line.startsWith("{")) {
                        serverCpuCores = (probe.cpuNanos() - cpu0) / (double) (System.nanoTime() - start);
                        // Read while the clients are still connected: they hold on for 30 s.
                        rssN = probe.rssBytes();
                        heapN = probe.heapAfterGcBytes();
                        last = line;
                        break;
                    } else {
                        System.out.println("  " + line);
                    }
                }
            }
            // The clients would hold on for 30 s more; the memory has been read.
            node.destroy();
            if (!node.waitFor(30, TimeUnit.SECONDS) || !last.startsWith("{")) {
                node.destroyForcibly();
                throw new IOException("clients.mjs failed: " + last);
            }
            System.out.println("  " + last);
            try (JsonReader reader = Json.createReader(new java.io.StringReader(last))) {
                measured = reader.readObject();
            }
        } finally {
            server.stop();
        }
        long quotes = measured.getJsonNumber("quotes").longValue();
        double seconds = measured.getJsonNumber("durationSeconds").doubleValue();
        int connected = measured.getInt("connectedAtEnd");
        JsonObjectBuilder record = describe(Json.createObjectBuilder(measured), "deflate", kind, market)
                .add("symbolsPerClient", "all")
                .add("warmupSeconds", warmup)
                .add("serverCpuCores", serverCpuCores)
                .add("serverCpuNanosPerQuote", quotes == 0 ? 0 : serverCpuCores * seconds * 1e9 / quotes)
                .add("serverRssBytesBefore", rss0)
                .add("serverRssBytes", rssN)
                .add("serverHeapAfterGcBytesBefore", heap0)
                .add("serverHeapAfterGcBytes", heapN)
                .add("promisedQuotesPerSecond", Math.round(promised(market, new Load(clients, "all", 0, 0, 0, 0),
                        null, null)));
        if (connected > 0) {
            record.add("serverRssBytesPerConnection", (double) (rssN - rss0) / connected);
            if (heap0 >= 0 && heapN >= 0) {
                record.add("serverHeapBytesPerConnection", (double) (heapN - heap0) / connected);
            }
        }
        results.add(record.build());
        save();
    }

    /**
     * The fan-out on every server, the reference measured beside them in the same run: each rate
     * {@code runs} times per server, the order turning each time, so no server always goes first
     * or follows the same one. The page's per-server targets compare CPU per delivered quote here.
     */
    private void otherServers() throws Exception {
        List<Integer> rates = options.rates() != null ? options.rates() : options.smoke() ? List.of(100) : List.of(100, 400);
        Load load = options.smoke() ? new Load(200, "all", 1000, 2, 5, 0) : new Load(1000, "all", 1000, fanoutWarmup(), 20, 0);
        // The smoke run goes twice round, so that the spread of a step is computed in CI too.
        int runs = options.smoke() ? 2 : options.runs();
        // Every server and both references in each variant: the binary one's CPU is compared with
        // the reference's in the same variant.
        record Side(Servers.Kind kind, String variant) {
        }
        List<Side> sides = new ArrayList<>();
        List<Servers.Kind> kinds = new ArrayList<>();
        for (String name : options.servers()) {
            kinds.add(servers.kind(name));
        }
        kinds.add(reference());
        kinds.add(servers.kind("netty"));
        for (String variant : options.variants()) {
            kinds.forEach(kind -> sides.add(new Side(kind, variant)));
        }
        for (int step = 0; step < rates.size(); step++) {
            Servers.Market market = new Servers.Market(500, rates.get(step) / 500.0, 50, 10_000);
            for (int run = 0; run < runs; run++) {
                List<Side> order = new ArrayList<>(sides);
                Collections.rotate(order, -(step + run));
                for (Side side : order) {
                    measure("servers", side.kind(), market, load.inVariant(side.variant()), run + 1);
                }
            }
        }
        if (options.smoke()) {
            return;
        }
        // And the smaller capacity run: how much each container keeps per connection.
        List<String> held = new ArrayList<>(options.servers().subList(1, options.servers().size()));
        held.add("netty");
        for (String name : held) {
            measure("servers-capacity", servers.kind(name), new Servers.Market(500, 0.05, 50, 10_000),
                    new Load(10_000, "20", CAPACITY_CONNECT_RATE, 10, 20, 0, 200));
        }
    }

    // ---- one run ---------------------------------------------------------------------------------

    private JsonObject measure(String scenario, Servers.Kind kind, Servers.Market market, Load load) throws Exception {
        return measure(scenario, kind, market, load, 1);
    }

    /**
     * Starts {@code kind} with {@code market}, runs {@code load} against it, stops it, records the
     * result (with {@code attempt}, the how-manieth run of the same step this is).
     */
    private JsonObject measure(String scenario, Servers.Kind kind, Servers.Market market, Load load, int attempt)
            throws Exception {
        String variant = variant(load);
        System.out.printf(Locale.ROOT, "%n=== %s: %s, %d symbols at %.0f trades/s, %d clients (%s symbols each)%s%s%n",
                scenario, kind.label(), market.symbols(), market.symbols() * market.updatesPerSecond(), load.clients(),
                load.symbols(), load.stalled() > 0 ? ", " + load.stalled() + " stop reading" : "",
                load.transport().equals("sse") ? ", over Server-Sent Events"
                        : variant.equals("binary") ? ", binary variant" : "");
        Servers.Running server = kind.start(options.port(), market);
        JsonObject merged;
        try {
            ServerProbe probe = new ServerProbe(server.pid(), server.heapProbe());
            long heap0 = probe.heapAfterGcBytes();
            long rss0 = probe.rssBytes();
            String name = String.format(Locale.ROOT, "%s-%s-%s-%.0f-%d-%d", scenario, kind.name(),
                    variant.equals("binary") ? "binary" : load.transport(),
                    market.symbols() * market.updatesPerSecond(), load.clients(), attempt);
            merged = loadgens(server, load, heap0, rss0, name);
        } finally {
            server.stop();
        }
        double promised = promised(market, load, merged.getJsonObject("serverHealthAtStart"),
                merged.getJsonObject("serverHealth"));
        // The load generators' merged result, then what describes the run (which wins on a clash:
        // e.g. "clients" of the first load generator process is only its share).
        JsonObjectBuilder record = Json.createObjectBuilder();
        merged.forEach((key, value) -> {
            if (!key.endsWith("Histogram")) {
                record.add(key, value);
            }
        });
        Path gcLog = servers.gcLog(server.pid());
        if (Files.exists(gcLog)) {
            record.add("serverGcLog", gcLog.getFileName().toString());
        }
        describe(record, scenario, kind, market)
                .add("variant", variant)
                .add("label", kind.label() + (variant.equals("binary") ? " · binary" : ""))
                .add("clients", load.clients())
                .add("symbolsPerClient", load.symbols())
                .add("connectRate", load.connectRate())
                .add("stalled", load.stalled())
                .add("transport", load.transport())
                .add("prewarm", load.prewarm())
                .add("warmupSeconds", load.warmupSeconds())
                .add("promisedQuotesPerSecond", Math.round(promised))
                .add("attempt", attempt);
        JsonObject result = record.build();
        results.add(result);
        save();
        return result;
    }

    /** Adds what every result says of its run: scenario, server, market, and which code when. */
    private JsonObjectBuilder describe(JsonObjectBuilder record, String scenario, Servers.Kind kind,
                                Servers.Market market) {
        record.add("scenario", scenario)
                .add("server", kind.name())
                .add("label", kind.label())
                .add("ticker", kind.isTicker())
                .add("symbols", market.symbols())
                .add("tradesPerSecond", market.symbols() * market.updatesPerSecond())
                .add("flushMillis", market.flushMillis())
                .add("serverJvmOptions", kind.isJvm() ? String.join(" ", servers.jvmOptions()) : "")
                .add("serverCpus", options.pinning().server())
                .add("loadgenCpus", options.pinning().loadgen())
                .add("loadgenClient", options.client());
        return provenance(record);
    }

    /**
     * Which code was measured and when: a partial run keeps the other scenarios' results, and the
     * page says which run each section comes from.
     */
    private JsonObjectBuilder provenance(JsonObjectBuilder record) {
        return record.add("commit", commit())
                .add("measuredAt", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    }

    private static String commit;      // the code measured, read once from git

    private String commit() {
        return commitOf();
    }

    /** The checked-out commit (short), with "+changes" if the work tree differs from it; "unknown" outside git. */
    static synchronized String commitOf() {
        if (commit == null) {
            try {
                Process head = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
                String rev = new String(head.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                Process status = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no")
                        .redirectErrorStream(true).start();
                String changes = new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                commit = head.waitFor() != 0 || status.waitFor() != 0 ? "unknown" : rev + (changes.isEmpty() ? "" : "+changes");
            } catch (IOException e) {
                commit = "unknown";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                commit = "unknown";
            }
        }
        return commit;
    }

    /**
     * Quotes per second the conflation policy promises {@code load}'s healthy clients: each flush
     * carries every subscribed symbol that traded since the previous one, and with Poisson arrivals
     * at rate r a symbol trades in a flush interval F with probability 1 - e^(-rF). The rate r is
     * the one the server's market actually produced during the measured window (its health page
     * read at both ends: trades over time), not the configured mean: at 50 trades/s a 20 s window
     * holds 1,000 ± 32 trades, noise that alone would put a perfect server under 99% of a promise
     * made from the mean.
     */
    static double promised(Servers.Market market, Load load, JsonObject start, JsonObject end) {
        int perClient = load.symbols().equals("all") ? market.symbols() : Integer.parseInt(load.symbols());
        double flushSeconds = market.flushMillis() / 1000.0;
        double rate = market.updatesPerSecond();
        if (start != null && end != null && end.containsKey("uptimeMs") && start.containsKey("uptimeMs")) {
            String produced = end.containsKey("ticksProduced") ? "ticksProduced" : "trades";
            double seconds = (end.getJsonNumber("uptimeMs").doubleValue() - start.getJsonNumber("uptimeMs").doubleValue()) / 1000;
            if (end.containsKey(produced) && start.containsKey(produced) && seconds > 1) {
                rate = (end.getJsonNumber(produced).doubleValue() - start.getJsonNumber(produced).doubleValue())
                        / seconds / market.symbols();
            }
        }
        double perFlush = perClient * (1 - Math.exp(-rate * flushSeconds));
        return (load.clients() - load.stalled()) * perFlush / flushSeconds;
    }

    /**
     * Runs the load generator processes of one run (as many as the clients need) and merges their
     * results. The clients that stop reading are the first process's, on plain sockets.
     */
    private JsonObject loadgens(Servers.Running server, Load load, long heap0, long rss0, String name) throws Exception {
        int healthy = load.clients() - load.stalled();
        int processes = (healthy + CLIENTS_PER_PROCESS - 1) / CLIENTS_PER_PROCESS;
        List<Process> running = new ArrayList<>();
        List<Path> outs = new ArrayList<>();
        for (int i = 0; i < processes; i++) {
            int clients = healthy / processes + (i < healthy % processes ? 1 : 0);
            Path out = options.work().resolve("loadgen-" + i + ".json");
            Files.deleteIfExists(out);
            outs.add(out);
            // Its collector's pauses logged beside its result: whether a bad second in one
            // process's latency was its own pause can then be read there.
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx3g",
                    // Read slices that hold the whole welcome (about 27 KB at 500 symbols, with the
                    // instruments' names): with the default 16 KB the JDK client now and then drops
                    // bytes read with the 101 response (bench/analysis.md).
                    "-Djdk.httpclient.bufsize=65536",
                    "-Xlog:gc,gc+phases:file=" + options.work().resolve("loadgen-" + i + "-gc.log") + ":time,uptime"));
            if (clients >= ZGC_FROM_CLIENTS) {
                command.add("-XX:+UseZGC");
            }
            command.addAll(List.of("-cp", options.loadgenJar().toString(), LoadGenerator.class.getName(),
                    "--url", server.wsUrl(), "--clients", String.valueOf(clients),
                    "--symbols", load.symbols(),
                    "--connect-rate", String.valueOf(load.connectRate() / Math.max(1, processes)),
                    "--warmup", String.valueOf(load.warmupSeconds()),
                    "--duration", String.valueOf(load.durationSeconds()),
                    "--stalled", String.valueOf(i == 0 ? load.stalled() : 0),
                    "--transport", load.transport(),
                    "--client", load.transport().equals("sse") ? "jdk" : options.client(),
                    "--variant", variant(load),
                    // The others stay connected while the first reads the server's memory.
                    "--hold", String.valueOf(i > 0 ? 20 : 0),
                    "--prewarm", String.valueOf(load.prewarm()),
                    "--out", out.toString()));
            if (i == 0) {
                command.addAll(List.of("--server-pid", String.valueOf(server.pid()), "--server-heap", server.heapProbe(),
                        "--server-health", server.healthUrl()));
                // async-profiler goes into JVM servers only (the heap probe says which are).
                if (options.profile() != null && server.heapProbe().equals("jcmd")) {
                    Path profiles = options.work().resolve("profiles");
                    Files.createDirectories(profiles);
                    command.addAll(List.of("--profiler", PROFILER_LIBRARY.toString(), "--profile-event", options.profile(),
                            "--profile-out", profiles.resolve(name + "-" + options.profile()).toString()));
                }
            }
            ProcessBuilder builder = new ProcessBuilder(options.pinning().loadgen(command)).redirectErrorStream(true);
            if (i > 0) {
                builder.redirectOutput(options.work().resolve("loadgen-" + i + ".log").toFile());
            }
            running.add(builder.start());
        }
        // The first process reports progress on this console.
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(running.get(0).getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                System.out.println("  " + line);
            }
        }
        long timeout = load.clients() / Math.max(1, load.connectRate()) + load.warmupSeconds() + load.durationSeconds() + 300;
        for (Process process : running) {
            if (!process.waitFor(timeout, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("load generator did not finish in " + timeout + " s");
            }
        }
        List<JsonObject> parts = new ArrayList<>();
        for (Path out : outs) {
            if (!Files.exists(out)) {
                throw new IOException("load generator wrote no result " + out);
            }
            parts.add(read(out).get(0));
        }
        return merge(parts, heap0, rss0);
    }

    /** One result from the results of several load generator processes that ran side by side. */
    static JsonObject merge(List<JsonObject> parts, long heap0, long rss0) throws DataFormatException {
        JsonObject first = parts.get(0);
        Histogram latency = new Histogram(3_600_000L, 3);
        Histogram handshake = new Histogram(3_600_000L, 3);
        long quotes = 0;
        double loadgenCpuSeconds = 0;
        Map<String, Double> sums = new LinkedHashMap<>();
        List<String> summed = List.of("connected", "handshakesFailed", "handshakesPerSecond", "quotesPerSecond",
                "framesPerSecond", "seqGaps", "unexpectedCloses", "errorsReceived", "loadgenCpuCores",
                "connectedAtEnd", "frames");
        for (JsonObject part : parts) {
            latency.add(decode(part.getString("quoteLatencyHistogram")));
            handshake.add(decode(part.getString("handshakeHistogram")));
            quotes += part.getJsonNumber("quotes").longValue();
            loadgenCpuSeconds += part.getJsonNumber("loadgenCpuCores").doubleValue()
                    * part.getJsonNumber("durationSeconds").doubleValue();
            for (String key : summed) {
                sums.merge(key, part.getJsonNumber(key).doubleValue(), Double::sum);
            }
        }
        double seconds = first.getJsonNumber("durationSeconds").doubleValue();
        JsonObjectBuilder out = Json.createObjectBuilder(first);
        sums.forEach((key, value) -> out.add(key, value));
        out.add("processes", parts.size());
        // Every process's unexpected closes by code: the first's alone hid 189 closes of another
        // process in a 10,000-client run on Tomcat.
        Map<String, Long> codes = new java.util.TreeMap<>();
        for (JsonObject part : parts) {
            if (part.containsKey("unexpectedCloseCodes")) {
                part.getJsonObject("unexpectedCloseCodes").forEach((code, count) ->
                        codes.merge(code, ((JsonNumber) count).longValue(), Long::sum));
            }
        }
        JsonObjectBuilder closeCodes = Json.createObjectBuilder();
        codes.forEach(closeCodes::add);
        out.add("unexpectedCloseCodes", closeCodes);
        if (parts.size() > 1 && parts.stream().allMatch(p -> p.containsKey("secondP99Ms"))) {
            // Each process's second n, side by side (they start measuring together, after the
            // same warm-up): the worst of them, as the clients of the worst process saw it.
            JsonArrayBuilder worst = Json.createArrayBuilder();
            int n = parts.stream().mapToInt(p -> p.getJsonArray("secondP99Ms").size()).min().orElse(0);
            for (int i = 0; i < n; i++) {
                int second = i;
                worst.add(parts.stream().mapToLong(p -> p.getJsonArray("secondP99Ms").getJsonNumber(second).longValue())
                        .max().orElse(0));
            }
            out.add("secondP99Ms", worst);
        }
        out.add("quotes", quotes);
        out.add("quoteLatencyMs", percentiles(latency));
        out.add("handshakeMs", percentiles(handshake));
        out.add("loadgenCpuNanosPerQuote", quotes == 0 ? 0 : loadgenCpuSeconds * 1e9 / quotes);
        if (first.containsKey("serverCpuCores")) {
            double serverCpuSeconds = first.getJsonNumber("serverCpuCores").doubleValue() * seconds;
            out.add("serverCpuNanosPerQuote", quotes == 0 ? 0 : serverCpuSeconds * 1e9 / quotes);
            long connected = Math.round(sums.get("connectedAtEnd"));
            long heapN = first.getJsonNumber("serverHeapAfterGcBytes").longValue();
            long rssN = first.getJsonNumber("serverRssBytes").longValue();
            out.add("serverHeapAfterGcBytesBefore", heap0);
            out.add("serverRssBytesBefore", rss0);
            if (connected > 0 && heap0 >= 0 && heapN >= 0) {
                out.add("serverHeapBytesPerConnection", (double) (heapN - heap0) / connected);
            }
            if (connected > 0) {
                out.add("serverRssBytesPerConnection", (double) (rssN - rss0) / connected);
            }
        }
        return out.build();
    }

    private static Histogram decode(String base64) throws DataFormatException {
        return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
    }

    private static JsonObject percentiles(Histogram h) {
        return Json.createObjectBuilder()
                .add("p50", h.getValueAtPercentile(50)).add("p99", h.getValueAtPercentile(99))
                .add("p999", h.getValueAtPercentile(99.9)).add("max", h.getMaxValue())
                .add("count", h.getTotalCount()).build();
    }

    // ---- results ---------------------------------------------------------------------------------

    private void save() throws IOException {
        JsonArrayBuilder array = Json.createArrayBuilder();
        results.forEach(array::add);
        Files.writeString(resultsFile, array.build().toString() + "\n");
    }

    /** The objects of a JSON file holding one object or an array of them. */
    static List<JsonObject> read(Path file) throws IOException {
        try (JsonReader reader = Json.createReader(Files.newBufferedReader(file))) {
            JsonValue value = reader.readValue();
            if (value instanceof JsonArray array) {
                return array.getValuesAs(JsonObject.class);
            }
            return List.of(value.asJsonObject());
        }
    }

    /**
     * The smoke run (CI) fails if any run lost anything a healthy run never loses: every client
     * connected, no gap, no unexpected close, quotes arrived.
     */
    private int smokeVerdict() {
        int failures = 0;
        for (JsonObject r : results) {
            List<String> problems = new ArrayList<>();
            if (number(r, "handshakesFailed") > 0) {
                problems.add("failed handshakes " + (long) number(r, "handshakesFailed"));
            }
            if (number(r, "seqGaps") > 0) {
                problems.add("seq gaps " + (long) number(r, "seqGaps"));
            }
            if (number(r, "unexpectedCloses") > 0) {
                problems.add("unexpected closes " + (long) number(r, "unexpectedCloses"));
            }
            if (number(r, "quotesPerSecond") <= 0 && !r.getString("scenario").equals("burst-node")) {
                problems.add("no quotes");
            }
            if (!problems.isEmpty()) {
                failures++;
                System.out.println("SMOKE FAILED: " + r.getString("scenario") + " on " + r.getString("label") + ": " + problems);
            }
        }
        System.out.println(failures == 0 ? "smoke benchmark passed" : failures + " smoke runs failed");
        return failures == 0 ? 0 : 1;
    }

    static double number(JsonObject o, String key) {
        JsonValue v = o.get(key);
        return v instanceof JsonNumber n ? n.doubleValue() : 0;
    }
}
