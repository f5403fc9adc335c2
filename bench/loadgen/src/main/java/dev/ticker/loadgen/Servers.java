package dev.ticker.loadgen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starts and stops the servers the benchmark measures, each as its own process on this machine:
 * the WAR on Tomcat, GlassFish (embedded), Payara Micro or WildFly, unpacked from Maven Central by
 * the project's build, and the Node reference server. Every start is a fresh process with fresh
 * settings, so one run's JIT, heap or leftover sessions never flatter or burden the next.
 */
final class Servers {

    /** Heap of every JVM server: the same for all, large enough for 20,000 sessions. */
    static final String SERVER_HEAP = "-Xmx2g";

    /** Every JVM server's options: {@link #SERVER_HEAP} and what --server-jvm-options adds. */
    List<String> jvmOptions() {
        return jvmOptions;
    }

    /**
     * What a server runs: the universe, its tick rate, the stream's limits, and whether it grants
     * permessage-deflate to clients that offer it.
     */
    record Market(int symbols, double updatesPerSecond, int flushMillis, int sendTimeoutMillis,
                  boolean permessageDeflate) {

        Market(int symbols, double updatesPerSecond, int flushMillis, int sendTimeoutMillis) {
            this(symbols, updatesPerSecond, flushMillis, sendTimeoutMillis, false);
        }
    }

    /** One kind of server. */
    interface Kind {
        /** Short name used on the command line and in the results. */
        String name();

        /** Name and version for people. */
        String label();

        /** True for the WAR, false for a reference server. */
        boolean isTicker();

        /** True for a server run with every JVM server's options ({@link #jvmOptions()}). */
        default boolean isJvm() {
            return isTicker();
        }

        Running start(int port, Market market) throws IOException, InterruptedException;
    }

    /** A started server. */
    record Running(Kind kind, Process process, long pid, String wsUrl, String healthUrl, String heapProbe, Path log) {

        void stop() {
            List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
            all.add(process.toHandle());
            all.forEach(ProcessHandle::destroy);
            for (ProcessHandle handle : all) {
                try {
                    handle.onExit().get(60, TimeUnit.SECONDS);
                } catch (Exception e) {
                    handle.destroyForcibly();
                }
            }
        }
    }

    private final Path war;
    private final Path serversDir;
    private final Path glassfishJar;
    private final Path benchDir;
    private final Path workDir;
    private final List<String> jvmOptions;     // of every JVM server: SERVER_HEAP, then any extra
    private final Pinning pinning;

    Servers(Path war, Path serversDir, Path glassfishJar, Path benchDir, Path workDir, List<String> extraJvmOptions) {
        this(war, serversDir, glassfishJar, benchDir, workDir, extraJvmOptions, Pinning.NONE);
    }

    Servers(Path war, Path serversDir, Path glassfishJar, Path benchDir, Path workDir, List<String> extraJvmOptions,
            Pinning pinning) {
        this.pinning = pinning;
        List<String> jvm = new ArrayList<>(List.of(SERVER_HEAP));
        if (pinning.pinned() && Pinning.count(pinning.server()) < 2) {
            // A JVM on one CPU picks the Serial collector and one-thread defaults: the server would
            // be measured as another configuration than the one it runs in. G1 and the pool sizes
            // of two CPUs, as unpinned on this machine; the CPUs it may use stay pinned.
            jvm.addAll(List.of("-XX:+UseG1GC", "-XX:ActiveProcessorCount=2"));
        }
        jvm.addAll(extraJvmOptions);
        this.jvmOptions = List.copyOf(jvm);
        this.war = war;
        this.serversDir = serversDir;
        this.glassfishJar = glassfishJar;
        this.benchDir = benchDir;
        this.workDir = workDir;
    }

    Kind kind(String name) {
        return switch (name) {
            case "tomcat" -> new Tomcat();
            case "glassfish" -> new GlassFish();
            case "payara" -> new PayaraMicro();
            case "wildfly" -> new WildFly();
            case "reference" -> new Reference();
            case "netty" -> new NettyReference();
            default -> throw new IllegalArgumentException("unknown server " + name
                    + "; one of tomcat, glassfish, payara, wildfly, reference, netty");
        };
    }

    /** The Ticker settings of {@code market}, as environment variables every server passes on. */
    private static Map<String, String> tickerEnv(Market market) {
        Map<String, String> env = new TreeMap<>();
        env.put("TICKER_SYMBOLS", String.valueOf(market.symbols()));
        env.put("TICKER_UPDATES_PER_SECOND", String.valueOf(market.updatesPerSecond()));
        env.put("TICKER_FLUSH_MILLIS", String.valueOf(market.flushMillis()));
        env.put("TICKER_MAX_SYMBOLS", String.valueOf(market.symbols()));
        env.put("TICKER_SEND_TIMEOUT_MILLIS", String.valueOf(market.sendTimeoutMillis()));
        env.put("TICKER_SEED", "1");
        env.put("TICKER_PERMESSAGE_DEFLATE", String.valueOf(market.permessageDeflate()));
        // Every client of the benchmark comes from this machine's one address, up to 19,000 of
        // them, and the handshake burst opens 2,000 at once: the connection limits would refuse them.
        env.put("TICKER_MAX_SESSIONS", "100000");
        env.put("TICKER_MAX_SESSIONS_PER_ADDRESS", "0");
        return env;
    }

    /**
     * Where a JVM server with process id {@code pid} logged its collector's pauses: every JVM server
     * logs them (a few hundred lines a run), so a run's bad seconds can be set beside its pauses.
     */
    Path gcLog(long pid) {
        return workDir.resolve("server-gc-" + pid + ".log").toAbsolutePath();
    }

    private String gcLogOption() {
        // %p: the JVM's own pid, which is what Running.pid() finds (a launcher script's child).
        return "-Xlog:gc:file=" + workDir.resolve("server-gc-%p.log").toAbsolutePath() + ":time,uptime";
    }

    /** {@code java}, every JVM server's options, then {@code arguments}. */
    private List<String> java(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add(gcLogOption());
        command.addAll(List.of(arguments));
        return command;
    }

    private Running launch(Kind kind, List<String> command, Map<String, String> env, Path dir, int port,
                           String path, String healthPath, String heapProbe) throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        // Something left listening on the port would answer the health check and take the load in
        // the new server's place, and the run would measure the wrong process.
        try (java.net.Socket probe = new java.net.Socket()) {
            probe.connect(new java.net.InetSocketAddress("localhost", port), 500);
            throw new IOException("port " + port + " is already in use by another process; stop it first");
        } catch (java.net.ConnectException | java.net.SocketTimeoutException free) {
            // free, as it should be
        }
        Path log = workDir.resolve(kind.name() + ".log");
        ProcessBuilder builder = new ProcessBuilder(pinning.server(command)).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        String base = "http://localhost:" + port;
        try {
            waitForHealth(process, base + healthPath, log);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw e;
        }
        // The launcher may be a script: the server is the java (or node) process below it.
        long pid = Stream.concat(Stream.of(process.toHandle()), process.descendants())
                .filter(p -> p.info().command().map(c -> c.endsWith("/java") || c.endsWith("/node")).orElse(false))
                .reduce((first, second) -> second)
                .map(ProcessHandle::pid).orElse(process.pid());
        String heap = heapProbe.equals("jcmd") ? "jcmd" : base + heapProbe;
        return new Running(kind, process, pid, "ws://localhost:" + port + path, base + healthPath, heap, log);
    }

    private static void waitForHealth(Process process, String url, Path log) throws IOException, InterruptedException {
        // HTTP/1.1: the JDK's default HTTP/2 attempt sends "Upgrade: h2c", which a WebSocket server
        // may take for a failed WebSocket upgrade (Node's ws answers 400).
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("server exited with " + process.exitValue() + "; see " + log);
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IOException("no answer from " + url + " in 180 s; see " + log);
    }

    private static Path only(Path dir, String prefix) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p))
                    .max(Comparator.naturalOrder())
                    .orElseThrow(() -> new IOException("no " + prefix + "* in " + dir + "; run bench/run, which unpacks it"));
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static String version(Path dir, String prefix) {
        return dir.getFileName().toString().substring(prefix.length());
    }

    /** Tomcat from target/servers, with its own CATALINA_BASE and a server.xml sized for the benchmark. */
    private final class Tomcat implements Kind {
        public String name() {
            return "tomcat";
        }

        public String label() {
            try {
                return "Ticker on Tomcat " + version(only(serversDir, "apache-tomcat-10"), "apache-tomcat-");
            } catch (IOException e) {
                return "Ticker on Tomcat";
            }
        }

        public boolean isTicker() {
            return true;
        }

        public Running start(int port, Market market) throws IOException, InterruptedException {
            Path home = only(serversDir, "apache-tomcat-10").toAbsolutePath();
            Path base = workDir.resolve("tomcat-base").toAbsolutePath();
            deleteTree(base);
            for (String dir : List.of("conf", "logs", "temp", "webapps", "work")) {
                Files.createDirectories(base.resolve(dir));
            }
            copyTree(home.resolve("conf"), base.resolve("conf"));
            Files.copy(benchDir.resolve("servers/tomcat/server.xml"), base.resolve("conf/server.xml"),
                    StandardCopyOption.REPLACE_EXISTING);
            Files.copy(war, base.resolve("webapps/ticker.war"));
            List<String> command = java(
                    "-Dcatalina.home=" + home, "-Dcatalina.base=" + base, "-Djava.io.tmpdir=" + base.resolve("temp"),
                    "-Dbench.http.port=" + port,
                    "-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager",
                    "-Djava.util.logging.config.file=" + base.resolve("conf/logging.properties"),
                    "-cp", home.resolve("bin/bootstrap.jar") + ":" + home.resolve("bin/tomcat-juli.jar"),
                    "org.apache.catalina.startup.Bootstrap", "start");
            return launch(this, command, tickerEnv(market), base, port, "/ticker/ws/quotes", "/ticker/health", "jcmd");
        }
    }

    /** GlassFish 7 embedded (Tyrus), the project's default container. */
    private final class GlassFish implements Kind {
        public String name() {
            return "glassfish";
        }

        public String label() {
            return "Ticker on GlassFish " + glassfishJar.getFileName().toString()
                    .replace("glassfish-embedded-all-", "").replace(".jar", "") + " embedded";
        }

        public boolean isTicker() {
            return true;
        }

        public Running start(int port, Market market) throws IOException, InterruptedException {
            Path dir = workDir.resolve("glassfish");
            deleteTree(dir);
            Files.createDirectories(dir);
            List<String> command = java("-jar", glassfishJar.toAbsolutePath().toString(),
                    "--port=" + port, "--noInfo",
                    "deploy --contextroot=ticker " + war.toAbsolutePath());
            return launch(this, command, tickerEnv(market), dir, port, "/ticker/ws/quotes", "/ticker/health", "jcmd");
        }
    }

    /** Payara Micro 6 (Tyrus). */
    private final class PayaraMicro implements Kind {
        public String name() {
            return "payara";
        }

        public String label() {
            return "Ticker on Payara Micro 6";
        }

        public boolean isTicker() {
            return true;
        }

        public Running start(int port, Market market) throws IOException, InterruptedException {
            Path dir = workDir.resolve("payara");
            deleteTree(dir);
            Files.createDirectories(dir);
            List<String> command = java("-jar",
                    serversDir.resolve("payara-micro.jar").toAbsolutePath().toString(),
                    "--deploy", war.toAbsolutePath().toString(), "--port", String.valueOf(port), "--nocluster",
                    "--rootdir", dir.toAbsolutePath().resolve("root").toString());
            return launch(this, command, tickerEnv(market), dir, port, "/ticker/ws/quotes", "/ticker/health", "jcmd");
        }
    }

    /** WildFly (Undertow), with a fresh copy of its standalone directory for every start. */
    private final class WildFly implements Kind {
        public String name() {
            return "wildfly";
        }

        public String label() {
            try {
                return "Ticker on WildFly " + version(only(serversDir, "wildfly-"), "wildfly-");
            } catch (IOException e) {
                return "Ticker on WildFly";
            }
        }

        public boolean isTicker() {
            return true;
        }

        public Running start(int port, Market market) throws IOException, InterruptedException {
            Path home = only(serversDir, "wildfly-").toAbsolutePath();
            Path base = workDir.resolve("wildfly-base").toAbsolutePath();
            deleteTree(base);
            copyTree(home.resolve("standalone"), base);
            if (market.permessageDeflate()) {
                // Undertow offers permessage-deflate only when its websockets setting says so (off
                // by default); the WAR's own switch can only refuse what the container offers. Its
                // deflater level defaults to 0, which negotiates the extension and compresses
                // nothing; 6 is zlib's default, what Tomcat's Deflater and ws use.
                Path config = base.resolve("configuration/standalone.xml");
                String xml = Files.readString(config);
                if (!xml.contains("<websockets/>")) {
                    throw new IOException("no <websockets/> in " + config + " to turn per-message-deflate on in");
                }
                Files.writeString(config, xml.replace("<websockets/>", "<websockets per-message-deflate=\"true\" deflater-level=\"6\"/>"));
            }
            Files.copy(war, base.resolve("deployments/ticker.war"));
            Map<String, String> env = tickerEnv(market);
            // standalone.conf only sets its own (512 MB) heap when JAVA_OPTS is empty.
            env.put("JAVA_OPTS", String.join(" ", jvmOptions) + " " + gcLogOption()
                    + " -Djava.net.preferIPv4Stack=true -Djava.awt.headless=true");
            List<String> command = List.of(home.resolve("bin/standalone.sh").toString(),
                    "-Djboss.server.base.dir=" + base,
                    "-Djboss.socket.binding.port-offset=" + (port - 8080));
            return launch(this, command, env, base, port, "/ticker/ws/quotes", "/ticker/health", "jcmd");
        }
    }

    /** The Node {@code ws} reference server in bench/reference. */
    private final class Reference implements Kind {
        public String name() {
            return "reference";
        }

        public String label() {
            return "Node reference (ws)";
        }

        public boolean isTicker() {
            return false;
        }

        public Running start(int port, Market market) throws IOException, InterruptedException {
            Path dir = benchDir.resolve("reference").toAbsolutePath();
            if (!Files.isDirectory(dir.resolve("node_modules/ws"))) {
                throw new IOException("bench/reference has no node_modules; run bench/run, which runs npm ci there");
            }
            List<String> command = List.of("node", "--expose-gc", "server.mjs", "--port", String.valueOf(port),
                    "--symbols", String.valueOf(market.symbols()),
                    "--updates-per-second", String.valueOf(market.updatesPerSecond()),
                    "--flush-millis", String.valueOf(market.flushMillis()),
                    "--send-timeout-millis", String.valueOf(market.sendTimeoutMillis()),
                    "--permessage-deflate", String.valueOf(market.permessageDeflate()));
            return launch(this, command, Map.of(), dir, port, "/ticker/ws/quotes", "/health", "/gc");
        }
    }

    /**
     * The second reference, bench/netty-reference: the same protocol, market and conflation as the
     * Node one on Netty, a JVM WebSocket stack that is no Jakarta container, run with every JVM
     * server's options. What separates it from the WAR on a container is the container and its API.
     */
    private final class NettyReference implements Kind {
        public String name() {
            return "netty";
        }

        public String label() {
            return "Netty reference " + nettyVersion().orElse("");
        }

        public boolean isTicker() {
            return false;
        }

        public boolean isJvm() {
            return true;
        }

        private Path jar() {
            return benchDir.resolve("netty-reference/target/ticker-netty-reference.jar").toAbsolutePath();
        }

        /** Netty's version, from the file every Netty jar carries (kept in the shaded jar). */
        private Optional<String> nettyVersion() {
            try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar().toFile())) {
                java.util.zip.ZipEntry entry = zip.getEntry("META-INF/io.netty.versions.properties");
                if (entry == null) {
                    return Optional.empty();
                }
                java.util.Properties versions = new java.util.Properties();
                versions.load(zip.getInputStream(entry));
                return Optional.ofNullable(versions.getProperty("netty-codec-http.version"));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        public Running start(int port, Market market) throws IOException, InterruptedException {
            if (!Files.exists(jar())) {
                throw new IOException("no " + jar() + "; run bench/run, which builds it");
            }
            List<String> command = java("-jar", jar().toString(), "--port", String.valueOf(port),
                    "--symbols", String.valueOf(market.symbols()),
                    "--updates-per-second", String.valueOf(market.updatesPerSecond()),
                    "--flush-millis", String.valueOf(market.flushMillis()),
                    "--send-timeout-millis", String.valueOf(market.sendTimeoutMillis()),
                    "--permessage-deflate", String.valueOf(market.permessageDeflate()));
            Path dir = workDir.resolve("netty").toAbsolutePath();
            Files.createDirectories(dir);
            return launch(this, command, Map.of(), dir, port, "/ticker/ws/quotes", "/health", "jcmd");
        }
    }

    static Optional<String> nodeVersion() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Optional.of(out);
        } catch (IOException | InterruptedException e) {
            return Optional.empty();
        }
    }
}
