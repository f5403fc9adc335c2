package dev.ticker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason.CloseCodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Undeploying the WAR closes every session with 1001 and stops every thread the app started. */
class LifecycleIT extends RedeployedTicker {


    @Test
    void undeployClosesEverySessionWith1001() throws Exception {
        deployer.deploy(WAR);
        boolean deployed = true;
        try (QuoteClient idle = QuoteClient.connect(stream()); QuoteClient busy = QuoteClient.connect(stream())) {
            idle.expect("welcome");
            busy.expect("welcome");
            busy.send("{\"type\":\"subscribe\",\"symbols\":[\"*\"]}");
            busy.awaitType("ticks");

            deployer.undeploy(WAR);
            deployed = false;

            assertEquals(CloseCodes.GOING_AWAY, idle.awaitClose().getCloseCode());
            assertEquals(CloseCodes.GOING_AWAY, busy.awaitClose().getCloseCode());
            assertEquals(List.of(), busy.seqProblems());
        } finally {
            if (deployed) {
                deployer.undeploy(WAR);
            }
        }
    }

    @Test
    void undeployStopsEveryThreadTheAppStarted() throws Exception {
        Assumptions.assumeTrue(isEmbedded(), "needs the server in this JVM to list its threads");
        deployer.deploy(WAR);
        try (QuoteClient client = QuoteClient.connect(stream())) {
            client.expect("welcome");
            List<String> running = tickerThreads();
            assertTrue(running.contains("ticker-feed") && running.contains("ticker-flush"), running::toString);
        } finally {
            deployer.undeploy(WAR);
        }
        List<String> left = tickerThreads();
        for (int i = 0; i < 50 && !left.isEmpty(); i++) {
            Thread.sleep(100);
            left = tickerThreads();
        }
        assertEquals(List.of(), left, "threads left behind by the undeployed app");
    }

    @Test
    void aBadSettingFailsTheDeploymentNamingTheKey() throws Exception {
        // Settings can be system properties of the server's JVM, which only the embedded server shares with us.
        Assumptions.assumeTrue(isEmbedded(), "needs the server in this JVM to give it a system property");
        System.setProperty("ticker.flushMillis", "soon");
        try {
            try {
                deployer.deploy(WAR);
            } catch (RuntimeException refused) {
                // Some adapters report the failed deployment, others only log it: what counts is below.
            }
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(httpBase() + "health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, health.statusCode(), "the app must not be serving with a bad setting");
        } finally {
            System.clearProperty("ticker.flushMillis");
            try {
                deployer.undeploy(WAR);
            } catch (RuntimeException notDeployed) {
                // a failed deployment may or may not be registered
            }
        }
        assertEquals(List.of(), tickerThreads(), "a failed deployment starts no threads");
    }

    private static List<String> tickerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("ticker-"))
                .sorted()
                .collect(Collectors.toList());
    }
}
