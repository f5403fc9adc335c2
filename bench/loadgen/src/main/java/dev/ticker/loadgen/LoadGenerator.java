package dev.ticker.loadgen;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Opens N protocol v1 clients against a Ticker stream, subscribes each to all symbols or to K at
 * random, and measures what the clients receive: quotes and frames per second, quote latency
 * (from the quote's {@code ts} to its arrival), {@code seq} gaps, handshake times, closes, and
 * its own CPU, so that a generator slower than the server shows it.
 *
 * <pre>
 * java -jar ticker-loadgen.jar --url ws://localhost:8080/ticker/ws/quotes --clients 1000 \
 *      --symbols all --connect-rate 500 --warmup 5 --duration 30 --out result.json
 * </pre>
 */
public final class LoadGenerator {

    record Options(URI url, int clients, int symbols, int connectRate, int warmupSeconds, int durationSeconds,
                   int httpClients, int stalled, int holdSeconds, int prewarm, long serverPid, String serverHeap, String serverHealth, Path out,
                   Path profiler, String profileEvent, Path profileOut, boolean eventStream, boolean http2, boolean lean, boolean binary) {

        static Options parse(String[] args) {
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
                }
                map.put(args[i].substring(2), args[++i]);
            }
            Options options = new Options(
                    URI.create(map.getOrDefault("url", "ws://localhost:8080/ticker/ws/quotes")),
                    Integer.parseInt(map.getOrDefault("clients", "100")),
                    map.getOrDefault("symbols", "all").equals("all") ? 0 : Integer.parseInt(map.get("symbols")),
                    Integer.parseInt(map.getOrDefault("connect-rate", "500")),
                    Integer.parseInt(map.getOrDefault("warmup", "5")),
                    Integer.parseInt(map.getOrDefault("duration", "30")),
                    Integer.parseInt(map.getOrDefault("http-clients",
                            String.valueOf(Math.max(1, Runtime.getRuntime().availableProcessors())))),
                    Integer.parseInt(map.getOrDefault("stalled", "0")),
                    Integer.parseInt(map.getOrDefault("hold", "0")),
                    Integer.parseInt(map.getOrDefault("prewarm", "0")),
                    Long.parseLong(map.getOrDefault("server-pid", "0")),
                    map.get("server-heap"),
                    map.get("server-health"),
                    Path.of(map.getOrDefault("out", "loadgen-result.json")),
                    map.containsKey("profiler") ? Path.of(map.get("profiler")) : null,
                    map.getOrDefault("profile-event", "cpu"),
                    Path.of(map.getOrDefault("profile-out", "profile")),
                    switch (map.getOrDefault("transport", "websocket")) {
                        case "websocket" -> false;
                        case "sse" -> true;
                        default -> throw new IllegalArgumentException("--transport is websocket or sse");
                    },
                    Boolean.parseBoolean(map.getOrDefault("http2", "false")),
                    switch (map.getOrDefault("client", "jdk")) {
                        case "jdk" -> false;
                        case "lean" -> true;
                        default -> throw new IllegalArgumentException("--client is jdk or lean");
                    },
                    switch (map.getOrDefault("variant", "text")) {
                        case "text" -> false;
                        case "binary" -> true;
                        default -> throw new IllegalArgumentException("--variant is text or binary");
                    });
            map.keySet().removeAll(List.of("url", "clients", "symbols", "connect-rate", "warmup", "duration",
                    "http-clients", "stalled", "hold", "prewarm", "server-pid", "server-heap", "server-health", "out",
                    "profiler", "profile-event", "profile-out", "transport", "http2", "client", "variant"));
            if (options.binary() && !options.lean()) {
                throw new IllegalArgumentException("--variant binary needs --client lean");
            }
            if (options.lean() && options.eventStream()) {
                throw new IllegalArgumentException("--client lean speaks WebSocket only");
            }
            if (options.eventStream() && (options.symbols() != 0 || options.stalled() > 0 || options.prewarm() > 0)) {
                throw new IllegalArgumentException("--transport sse takes --symbols all, no --stalled and no --prewarm");
            }
            if (options.profiler() != null && options.serverPid() <= 0) {
                throw new IllegalArgumentException("--profiler needs --server-pid (a JVM on this machine)");
            }
            if (!map.isEmpty()) {
                throw new IllegalArgumentException("unknown options " + map.keySet());
            }
            return options;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: --url ws://host:port/ticker/ws/quotes --clients N --symbols all|K"
                    + " --connect-rate N/s (0 = all at once) --warmup S --duration S --http-clients N --stalled N --hold S --prewarm N"
                    + " --server-pid PID --server-heap jcmd|URL --server-health URL --out result.json"
                    + " [--profiler libasyncProfiler.so --profile-event cpu|alloc|wall --profile-out PATH]"
                    + " [--transport websocket|sse (sse: the ws URL's /ws/quotes becomes http's /sse/quotes)]"
                    + " [--http2 false|true (plain HTTP requests over HTTP/1.1, or h2c where the server upgrades)]"
                    + " [--client jdk|lean (the JDK's WebSocket client, or raw sockets that scan each frame's bytes)]"
                    + " [--variant text|binary (ticker.v1, or ticker.v1.binary: each frame a binary message; lean only)]");
            System.exit(2);
            return;
        }
        new LoadGenerator().run(options);
    }

    private void run(Options o) throws Exception {
        Stats stats = new Stats();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        // Several HttpClients spread the connections over several selector threads. Each client's
        // callbacks run on its selector thread (a direct executor): they never block, and handing
        // every frame to a pool thread cost a quarter of the load generator's CPU at 20,000 frames/s
        // (0.96 -> 0.72 cores against the reference, 1,000 clients on all symbols; hand measurement),
        // CPU the server it measures then did not have. Handshake bursts were no slower.
        // HTTP/1.1 unless asked: event streams over h2c would share a few connections, where
        // browsers (HTTP/1.1 behind the proxies the fallback is for, or h2 over TLS with at most
        // 100 streams a connection) hold one or a few each (bench/analysis.md).
        List<HttpClient> http = new ArrayList<>();
        for (int i = 0; i < o.httpClients(); i++) {
            http.add(HttpClient.newBuilder()
                    .version(o.http2() ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                    .executor(Runnable::run)
                    .connectTimeout(Duration.ofSeconds(30)).build());
        }
        List<Client> clients = new ArrayList<>(o.clients());
        List<EventStreamClient> streams = new ArrayList<>();
        // The lean clients share as many selector threads as the JDK's clients get HttpClients.
        List<LeanClients> lean = new ArrayList<>();
        for (int i = 0; o.lean() && i < o.httpClients(); i++) {
            lean.add(new LeanClients(stats, o.symbols(), o.binary(), "lean-clients-" + i));
        }
        URI sse = URI.create(o.url().toString().replaceFirst("^ws", "http").replace("/ws/quotes", "/sse/quotes"));
        List<CompletableFuture<?>> handshakes = new ArrayList<>(o.clients());
        ServerProbe server = o.serverPid() > 0 ? new ServerProbe(o.serverPid(), o.serverHeap()) : null;
        long heap0 = -1;
        long rss0 = -1;
        if (server != null) {
            heap0 = server.heapAfterGcBytes();
            rss0 = server.rssBytes();
            System.out.printf(Locale.ROOT, "server pid %d before connecting: heap after GC %s, RSS %s%n",
                    o.serverPid(), mb(heap0), mb(rss0));
        }

        if (o.prewarm() > 0) {
            prewarm(o, http);
        }
        System.out.printf(Locale.ROOT, "connecting %d clients to %s (%s)%n", o.clients(), o.eventStream() ? sse : o.url(),
                o.symbols() == 0 ? "all symbols" : o.symbols() + " random symbols each");
        long connectStart = System.nanoTime();
        for (int i = 0; i < o.clients(); i++) {
            if (o.connectRate() > 0) {
                long due = connectStart + (long) (i * 1e9 / o.connectRate());
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            if (o.eventStream()) {
                EventStreamClient stream = new EventStreamClient(stats);
                streams.add(stream);
                handshakes.add(stream.connect(http.get(i % http.size()), sse).exceptionally(e -> null));
                continue;
            }
            if (o.lean()) {
                handshakes.add(lean.get(i % lean.size()).connect(o.url(), i).exceptionally(e -> null));
                continue;
            }
            Client client = new Client(stats, o.symbols(), i);
            clients.add(client);
            handshakes.add(client.connect(http.get(i % http.size()), o.url()).exceptionally(e -> null));
        }
        System.out.printf(Locale.ROOT, "issued %d connects in %.2f s%n", o.clients(), (System.nanoTime() - connectStart) / 1e9);
        try {
            CompletableFuture.allOf(handshakes.toArray(CompletableFuture[]::new))
                    .get(Client.HANDSHAKE_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            System.out.println("some handshakes neither completed nor failed in time; measuring the rest");
        }
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
        stats.handshakeTotal.add(stats.handshake.getIntervalHistogram());
        System.out.printf(Locale.ROOT, "connected %d, failed %d in %.1f s (%.0f handshakes/s, p99 %d ms)%n",
                stats.connected.sum(), stats.handshakesFailed.sum(), connectSeconds,
                (o.clients() - stats.handshakesFailed.sum()) / connectSeconds,
                stats.handshakeTotal.getValueAtPercentile(99));

        // Beside the measuring clients, `stalled` more subscribe to everything and never read.
        List<StalledClient> stalled = new ArrayList<>();
        for (int i = 0; i < o.stalled(); i++) {
            try {
                stalled.add(StalledClient.open(o.url(), "{\"type\":\"subscribe\",\"symbols\":[\"*\"],\"snapshot\":false}"));
            } catch (IOException e) {
                stats.handshakesFailed.increment();
            }
        }
        if (o.stalled() > 0) {
            System.out.printf(Locale.ROOT, "%d more clients subscribed to everything and stopped reading%n", stalled.size());
        }
        if (o.profiler() != null) {
            server.primeProfiler(o.profiler(), o.profileEvent(), o.profileOut());     // paid in the warm-up
        }
        // The clients parse and time every quote during the warm-up too, and what they count then
        // is discarded below: the warm-up must warm this process's own hot path as well. When
        // they started parsing only at the end of the warm-up, the load generator compiled its
        // parser in the first measured second, fell behind, and that second's p99 was about 180 to 490 ms
        // against 75-120 ms for the others, for every server alike: most of a 20 s run's p99.
        clients.forEach(c -> c.measure(true));
        streams.forEach(c -> c.measure(true));
        lean.forEach(c -> c.measure(true));
        MachineCpu warmup0 = MachineCpu.read();
        Thread.sleep(o.warmupSeconds() * 1000L);
        stats.latency.getIntervalHistogram();                     // discard warm-up samples
        // The server's own count of trades at both ends of the window tells what it promised; it
        // is read right next to the clients' counts at both ends, so that the two cover the same
        // seconds. (The end's count used to be read after the heap probe, whose full GC takes a
        // second or more: the promise then came from a rate over a longer span than the quotes, and
        // at 50 trades/s, about 1,000 trades a window, two more seconds are ±1% of Poisson noise
        // of their own, against a 99% line; runs that delivered everything read 98.5-99.0%.)
        ServerProbe healthProbe = server != null ? server : new ServerProbe(0, null);
        String healthAtStart = o.serverHealth() == null ? null : healthProbe.get(o.serverHealth());
        long quotes0 = stats.quotes.sum();
        long frames0 = stats.frames.sum();
        long gaps0 = stats.seqGaps.sum();
        long cpu0 = os.getProcessCpuTime();
        long serverCpu0 = server == null ? 0 : server.cpuNanos();
        long serverKernel0 = server == null ? 0 : server.kernelCpuNanos();
        if (o.profiler() != null) {
            // The measured seconds only: not the handshakes, not the warm-up.
            server.profiler(o.profiler(), Profile.startCommand(o.profileEvent()));
        }
        long start = System.nanoTime();
        long lastQuotes = quotes0;
        // Second by second, beside the clients' p99, the whole machine's busy and stolen share: a
        // second bad for every client at once was the server, this process or the machine, and
        // these tell the machine apart (full, or its host running another guest on our cores).
        MachineCpu machine0 = MachineCpu.read();
        MachineCpu lastMachine = machine0;
        // A host that stole the warm-up leaves a server behind at the window's start (a backlog
        // it catches up on in the first measured seconds), so the warm-up's share is kept too.
        double warmupStealPercent = warmup0 == null || machine0 == null ? -1 : machine0.stealPercentSince(warmup0);
        // This process's CPU each second from its CPU time, not getProcessCpuLoad(): that one
        // answers 0 on its first call, which left every run's first measured second without it.
        long lastCpu = cpu0;
        long lastAt = start;
        List<Long> secondP99 = new ArrayList<>();
        List<Double> secondBusy = new ArrayList<>();
        List<Double> secondSteal = new ArrayList<>();
        for (int second = 1; second <= o.durationSeconds(); second++) {
            LockSupport.parkNanos(start + second * 1_000_000_000L - System.nanoTime());
            Histogram interval = stats.latency.getIntervalHistogram();
            stats.latencyTotal.add(interval);
            long q = stats.quotes.sum();
            MachineCpu machine = MachineCpu.read();
            String machineText = "";
            if (machine != null && lastMachine != null) {
                secondBusy.add(round(machine.busyPercentSince(lastMachine)));
                secondSteal.add(round(machine.stealPercentSince(lastMachine)));
                machineText = String.format(Locale.ROOT, "  machine %5.1f%% steal %4.1f%%",
                        machine.busyPercentSince(lastMachine), machine.stealPercentSince(lastMachine));
            }
            secondP99.add(interval.getValueAtPercentile(99));
            long cpuNow = os.getProcessCpuTime();
            long at = System.nanoTime();
            System.out.printf(Locale.ROOT, "%4d s  connected %6d  quotes/s %9d  p99 %5d ms  gaps %d  closes %d  cpu %5.1f%%%s%n",
                    second, stats.connected.sum(), q - lastQuotes, interval.getValueAtPercentile(99),
                    stats.seqGaps.sum() - gaps0, stats.unexpectedCloses.sum(),
                    100.0 * (cpuNow - lastCpu) / Math.max(1, at - lastAt) / os.getAvailableProcessors(), machineText);
            lastQuotes = q;
            lastMachine = machine;
            lastCpu = cpuNow;
            lastAt = at;
        }
        long quotes = stats.quotes.sum() - quotes0;
        long frames = stats.frames.sum() - frames0;
        String health = o.serverHealth() == null ? null : healthProbe.get(o.serverHealth());
        MachineCpu machineN = MachineCpu.read();
        double seconds = (System.nanoTime() - start) / 1e9;
        long cpu = os.getProcessCpuTime() - cpu0;
        long serverCpu = server == null ? 0 : server.cpuNanos() - serverCpu0;
        long serverKernel = server == null ? 0 : server.kernelCpuNanos() - serverKernel0;
        if (o.profiler() != null) {
            Path summary = server.stopProfiler(o.profiler(), o.profileEvent(), o.profileOut());
            System.out.println("profile (" + o.profileEvent() + ") of the measured seconds: " + summary);
        }
        clients.forEach(c -> c.measure(false));
        streams.forEach(c -> c.measure(false));
        lean.forEach(c -> c.measure(false));
        long connected = stats.connected.sum();
        long connectedAtEnd = connected + stalled.size();
        // Memory with every client still connected, then the server's own account of the run.
        long heapN = server == null ? -1 : server.heapAfterGcBytes();
        long rssN = server == null ? -1 : server.rssBytes();
        // Several load generators share one run when one process cannot hold every connection
        // (file descriptors); each keeps its clients open until the one that probes has finished.
        Thread.sleep(o.holdSeconds() * 1000L);
        clients.forEach(Client::close);
        streams.forEach(EventStreamClient::close);
        lean.forEach(LeanClients::close);
        for (StalledClient client : stalled) {
            client.close();
        }

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("url", (o.eventStream() ? sse : o.url()).toString());
        result.put("transport", o.eventStream() ? "sse" : "websocket");
        result.put("client", o.eventStream() ? "jdk-sse" : o.lean() ? "lean" : "jdk");
        result.put("variant", o.binary() ? "binary" : "text");
        if (o.lean()) {
            result.put("leanVerified", LeanClients.VERIFIED.sum());
            result.put("leanMismatches", LeanClients.MISMATCHES.sum());
        }
        result.put("clients", o.clients());
        result.put("symbolsPerClient", o.symbols() == 0 ? "all" : o.symbols());
        result.put("durationSeconds", round(seconds));
        // As the measured seconds ended: read after the clients' closes below, it counted only
        // those whose close had not completed yet.
        result.put("connected", connected);
        result.put("handshakesFailed", stats.handshakesFailed.sum());
        result.put("handshakesPerSecond", round((o.clients() - stats.handshakesFailed.sum()) / connectSeconds));
        result.put("handshakeMs", percentiles(stats.handshakeTotal));
        result.put("quotesPerSecond", round(quotes / seconds));
        result.put("framesPerSecond", round(frames / seconds));
        result.put("quoteLatencyMs", percentiles(stats.latencyTotal));
        result.put("quoteLatencyHistogram", encode(stats.latencyTotal));
        result.put("handshakeHistogram", encode(stats.handshakeTotal));
        result.put("quotes", quotes);
        result.put("frames", frames);
        result.put("seqGaps", stats.seqGaps.sum() - gaps0);
        result.put("unexpectedCloses", stats.unexpectedCloses.sum());
        Map<String, Object> codes = new LinkedHashMap<>();
        stats.unexpectedCloseCodes.forEach((code, count) -> codes.put(String.valueOf(code), count.sum()));
        result.put("unexpectedCloseCodes", codes);
        result.put("errorsReceived", stats.errorsReceived.sum());
        result.put("loadgenCpuCores", round(cpu / 1e9 / seconds));
        result.put("loadgenCpuNanosPerQuote", quotes == 0 ? 0 : round((double) cpu / quotes));
        result.put("loadgenCpuNanosPerFrame", frames == 0 ? 0 : round((double) cpu / frames));
        result.put("secondP99Ms", secondP99);
        if (machine0 != null && machineN != null) {
            int cores = Runtime.getRuntime().availableProcessors();
            result.put("machineBusyCores", round(machineN.busyPercentSince(machine0) / 100 * cores));
            result.put("machineStealCores", round(machineN.stealPercentSince(machine0) / 100 * cores));
            if (warmupStealPercent >= 0) {
                result.put("warmupMachineStealCores", round(warmupStealPercent / 100 * cores));
            }
            result.put("secondMachineBusyPercent", secondBusy);
            result.put("secondMachineStealPercent", secondSteal);
        }
        result.put("stalledClients", o.stalled());
        result.put("connectedAtEnd", connectedAtEnd);
        if (server != null) {
            result.put("serverCpuCores", round(serverCpu / 1e9 / seconds));
            result.put("serverKernelCpuCores", round(serverKernel / 1e9 / seconds));
            result.put("serverCpuNanosPerQuote", quotes == 0 ? 0 : round((double) serverCpu / quotes));
            result.put("serverHeapAfterGcBytesBefore", heap0);
            result.put("serverHeapAfterGcBytes", heapN);
            result.put("serverRssBytesBefore", rss0);
            result.put("serverRssBytes", rssN);
            if (connectedAtEnd > 0 && heap0 >= 0 && heapN >= 0) {
                result.put("serverHeapBytesPerConnection", round((double) (heapN - heap0) / connectedAtEnd));
            }
            if (connectedAtEnd > 0) {
                result.put("serverRssBytesPerConnection", round((double) (rssN - rss0) / connectedAtEnd));
            }
        }
        if (health != null) {
            result.put("serverHealthAtStart", new RawJson(healthAtStart.trim()));
            result.put("serverHealth", new RawJson(health.trim()));
        }
        write(o.out(), result);

        System.out.println();
        System.out.printf(Locale.ROOT, "%d clients, %.0f quotes/s in %.0f frames/s; latency p50 %d ms, p99 %d ms, p99.9 %d ms, max %d ms%n",
                o.clients(), quotes / seconds, frames / seconds, stats.latencyTotal.getValueAtPercentile(50),
                stats.latencyTotal.getValueAtPercentile(99), stats.latencyTotal.getValueAtPercentile(99.9),
                stats.latencyTotal.getMaxValue());
        System.out.printf(Locale.ROOT, "seq gaps %d, unexpected closes %d, failed handshakes %d; load generator (%s client) used %.2f cores, %.0f ns per quote, %.1f µs per frame%n",
                stats.seqGaps.sum() - gaps0, stats.unexpectedCloses.sum(), stats.handshakesFailed.sum(),
                o.eventStream() ? "SSE" : o.lean() ? "lean" : "JDK", cpu / 1e9 / seconds, quotes == 0 ? 0.0 : (double) cpu / quotes,
                frames == 0 ? 0.0 : cpu / 1e3 / frames);
        if (o.lean()) {
            System.out.printf(Locale.ROOT, "lean client: %d messages checked against the JSON parser, %d disagreed%n",
                    LeanClients.VERIFIED.sum(), LeanClients.MISMATCHES.sum());
        }
        if (server != null) {
            System.out.printf(Locale.ROOT, "server used %.2f cores, %.0f ns per quote; heap after GC %s (before: %s), RSS %s (before: %s)%n",
                    serverCpu / 1e9 / seconds, quotes == 0 ? 0.0 : (double) serverCpu / quotes, mb(heapN), mb(heap0),
                    mb(rssN), mb(rss0));
        }
        if (health != null) {
            System.out.println("server health: " + health.trim());
            String pongs = pongRoundTrips(o.serverHealth());
            if (pongs != null) {
                System.out.println("server's pong round trips (ping written to pong read), cumulative: " + pongs);
            }
        }
        System.out.println("result written to " + o.out().toAbsolutePath());
        Thread.sleep(500);
        System.exit(0);
    }

    /**
     * The Ticker server's {@code ticker_pong_round_trip_seconds} buckets, as "le 1 s: N, ...",
     * read from /metrics beside {@code healthUrl}; null for a server without them (the reference).
     * Tells a late pong the server read late from one it never got.
     */
    static String pongRoundTrips(String healthUrl) {
        if (!healthUrl.endsWith("/health")) {
            return null;
        }
        try {
            String metrics = new ServerProbe(0, null).get(healthUrl.substring(0, healthUrl.length() - "health".length()) + "metrics");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "(?m)^ticker_pong_round_trip_seconds_bucket\\{le=\"([^\"]+)\"\\} (\\S+)$").matcher(metrics);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                out.append(out.length() == 0 ? "" : ", ").append("<= ").append(m.group(1)).append(" s: ")
                        .append((long) Double.parseDouble(m.group(2)));
            }
            return out.length() == 0 ? null : out.toString();
        } catch (Exception e) {
            return null;
        }
    }

    private static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("p50", h.getValueAtPercentile(50));
        p.put("p99", h.getValueAtPercentile(99));
        p.put("p999", h.getValueAtPercentile(99.9));
        p.put("max", h.getMaxValue());
        p.put("count", h.getTotalCount());
        return p;
    }

    /**
     * Opens and closes {@code prewarm} connections before the measured ones, so that a handshake
     * burst measures a running server and client, not the first-time class loading and JIT
     * compilation of either (a server runs for weeks; the first second after its start is not its
     * handshake rate).
     */
    private static void prewarm(Options o, List<HttpClient> http) throws Exception {
        Stats ignored = new Stats();
        List<Client> warm = new ArrayList<>();
        List<CompletableFuture<?>> opened = new ArrayList<>();
        for (int i = 0; i < o.prewarm(); i++) {
            Client client = new Client(ignored, o.symbols(), -1 - i);
            warm.add(client);
            opened.add(client.connect(http.get(i % http.size()), o.url()).exceptionally(e -> null));
            if (i % 100 == 99) {
                CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            }
        }
        CompletableFuture.allOf(opened.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        Thread.sleep(1000);
        warm.forEach(Client::close);
        Thread.sleep(2000);
        System.out.printf(Locale.ROOT, "prewarmed with %d connections (opened, used for a second, closed)%n", o.prewarm());
    }

    /** An HDR histogram, compressed and in base64, so that results of several processes can be merged. */
    static String encode(Histogram h) {
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        return java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    }

    /** Already JSON: written as is. */
    record RawJson(String json) {
    }

    private static String mb(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static void write(Path out, Map<String, Object> result) throws IOException {
        Files.writeString(out, json(result) + "\n");
    }

    private static String json(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder s = new StringBuilder("{");
            map.forEach((k, v) -> s.append(s.length() > 1 ? "," : "").append('"').append(k).append("\":").append(json(v)));
            return s.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder s = new StringBuilder("[");
            list.forEach(v -> s.append(s.length() > 1 ? "," : "").append(json(v)));
            return s.append(']').toString();
        }
        if (value instanceof RawJson raw) {
            return raw.json();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        return "\"" + String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
