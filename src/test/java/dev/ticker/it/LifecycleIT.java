package dev.ticker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason.CloseCodes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * Undeploying the WAR closes every session with 1001 (an event stream with its close event) and stops every thread the app started, time
 * after time; a bad setting fails the deployment. Threads are counted in the server's own JVM
 * ({@link ServerJvm}: this one for the embedded server, {@code jcmd} for a managed one).
 */
class LifecycleIT extends RedeployedTicker {

    static final String BAD = "ticker-bad";

    /** The WAR with a setting that does not parse, under its own context root. */
    @Deployment(name = BAD, managed = false, testable = false)
    static WebArchive badDeployment() {
        return TickerDeployment.withContextParam(BAD, "ticker.flushMillis", "50", "soon");
    }

    @Test
    void undeployClosesEverySessionWith1001AndEndsEveryEventStream() throws Exception {
        deployer.deploy(WAR);
        boolean deployed = true;
        try (QuoteClient idle = QuoteClient.connect(stream()); QuoteClient busy = QuoteClient.connect(stream());
             SseClient sse = SseClient.open(URI.create(httpBase() + "sse/quotes"))) {
            idle.expect("welcome");
            busy.expect("welcome");
            busy.send("{\"type\":\"subscribe\",\"symbols\":[\"*\"]}");
            busy.awaitType("ticks");
            sse.expect("welcome");
            sse.send("{\"type\":\"subscribe\",\"symbols\":[\"*\"]}");
            sse.awaitType("ticks");

            deployer.undeploy(WAR);
            deployed = false;

            assertEquals(CloseCodes.GOING_AWAY, idle.awaitClose().getCloseCode());
            assertEquals(CloseCodes.GOING_AWAY, busy.awaitClose().getCloseCode());
            assertEquals(List.of(), busy.seqProblems());
            // The event stream ends too, with the code the WebSocket would have had.
            assertEquals(CloseCodes.GOING_AWAY.getCode(), sse.awaitClose().getInt("code"));
            assertEquals(List.of(), sse.seqProblems());
        } finally {
            if (deployed) {
                deployer.undeploy(WAR);
            }
        }
    }

    /**
     * A drain request spreads the event streams' closes over the drain; an undeploy that follows
     * at once may end the app before their turn. Tomcat then gives up on them itself (it times out
     * every async request of an app it stops): each must still get its close event.
     */
    @Test
    void anUndeployDuringADrainStillEndsEveryEventStreamWithItsCloseEvent() throws Exception {
        deployer.deploy(WAR);
        boolean deployed = true;
        List<SseClient> streams = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                SseClient sse = SseClient.open(URI.create(httpBase() + "sse/quotes"));
                streams.add(sse);
                sse.expect("welcome");
            }
            HttpResponse<String> drain = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(httpBase() + "admin/drain")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, drain.statusCode(), drain.body());

            deployer.undeploy(WAR);
            deployed = false;

            for (SseClient sse : streams) {
                assertEquals(CloseCodes.GOING_AWAY.getCode(), sse.awaitClose().getInt("code"));
                assertEquals(List.of(), sse.seqProblems());
            }
        } finally {
            for (SseClient sse : streams) {
                sse.close();
            }
            if (deployed) {
                deployer.undeploy(WAR);
            }
        }
    }

    @Test
    void redeployingRepeatedlyLeavesNoThreadAndNoLeakWarning() throws Exception {
        long warningsBefore = leakWarnings();
        for (int round = 1; round <= 3; round++) {
            deployer.deploy(WAR);
            ServerJvm jvm;
            try (QuoteClient client = QuoteClient.connect(stream())) {
                client.expect("welcome");
                client.send("{\"type\":\"subscribe\",\"symbols\":[\"*\"]}");
                client.awaitType("ticks");
                jvm = ServerJvm.listeningOn(httpPort());
                List<String> running = jvm.threads("ticker-");
                assertTrue(running.contains("ticker-feed") && running.contains("ticker-flush"), running::toString);
                // Closed, and the server done with the close (its admission count back to 0, the
                // last thing the app's @OnClose does), before the undeploy: otherwise the container's
                // own thread may still be in that @OnClose when Tomcat looks for threads left running
                // (it warned once in CI, of exec-48 inside QuoteEndpoint.close).
                client.close();
                for (int i = 0; i < 100 && admitted() > 0; i++) {
                    Thread.sleep(20);
                }
            } finally {
                deployer.undeploy(WAR);
            }
            List<String> left = jvm.threads("ticker-");
            for (int i = 0; i < 50 && !left.isEmpty(); i++) {
                Thread.sleep(100);
                left = jvm.threads("ticker-");
            }
            assertEquals(List.of(), left, "threads left behind by the undeployed app, round " + round);
        }
        assertEquals(warningsBefore, leakWarnings(), "the server warned of a leak (see its log)");
    }

    @Test
    void aBadSettingFailsTheDeploymentNamingTheKey() throws Exception {
        try {
            deployer.deploy(BAD);
        } catch (Exception refused) {
            // Some adapters report the failed deployment, others only log it: what counts is below.
        }
        try {
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(httpBase().replace("/ticker/", "/" + BAD + "/") + "health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(health.statusCode() == 404 || health.statusCode() >= 500,
                    "the app must not be serving with a bad setting; got " + health.statusCode());
            // Payara Micro runs one JVM per deployment: a failed one may leave none to look at.
            ServerJvm jvm;
            try {
                jvm = ServerJvm.listeningOn(httpPort());
            } catch (IOException noServer) {
                return;
            }
            assertEquals(List.of(), jvm.threads("ticker-"), "a failed deployment starts no threads");
        } finally {
            try {
                deployer.undeploy(BAD);
            } catch (RuntimeException notDeployed) {
                // a failed deployment may or may not be registered
            }
        }
    }

    private static int httpPort() {
        return Integer.parseInt(System.getProperty("it.http.port", "18181"));
    }

    /**
     * Leak warnings in the managed server's log: Tomcat's "appears to have started a thread ... but
     * has failed to stop it" and "... very likely to create a memory leak", and WildFly's and
     * Payara's logs searched for the same words. The embedded server logs to this JVM's console,
     * where its class loader check (GlassFish's) prints nothing of the kind for this app.
     */
    private static long leakWarnings() throws IOException {
        Path servers = Path.of(System.getProperty("it.servers", "target/servers"));
        if (!Files.isDirectory(servers)) {
            return 0;
        }
        long count = 0;
        try (Stream<Path> files = Files.walk(servers, 6)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (Files.isRegularFile(file) && (name.endsWith(".log") || name.endsWith(".out") || name.startsWith("server.log"))) {
                    for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                        if (line.contains("ticker") && (line.contains("failed to stop it") || line.contains("memory leak"))) {
                            count++;
                        }
                    }
                }
            }
        }
        return count;
    }

    /** Connections the running app counts against its limits ({@code ticker_sessions_admitted}). */
    private static double admitted() throws Exception {
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(httpBase() + "metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^ticker_sessions_admitted (\\S+)$").matcher(body);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
