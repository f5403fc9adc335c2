package dev.ticker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason.CloseCodes;
import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Undeploying the WAR closes every session with 1001 and stops every thread the app started. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class LifecycleIT {

    private static final String WAR = "lifecycle";

    @Deployment(name = WAR, managed = false, testable = false)
    static WebArchive deployment() {
        return TickerDeployment.war();
    }

    @ArquillianResource
    Deployer deployer;

    @Test
    void undeployClosesSessionsWith1001AndLeavesNoThreads() throws Exception {
        deployer.deploy(WAR);
        boolean deployed = true;
        try {
            URI stream = URI.create("ws://localhost:" + System.getProperty("it.http.port", "18181") + "/ticker/ws/quotes");
            try (QuoteClient idle = QuoteClient.connect(stream); QuoteClient busy = QuoteClient.connect(stream)) {
                idle.expect("welcome");
                busy.expect("welcome");
                busy.send("{\"type\":\"subscribe\",\"symbols\":[\"*\"]}");
                busy.awaitType("ticks");
                if (isEmbedded()) {
                    List<String> running = tickerThreads();
                    assertTrue(running.contains("ticker-feed") && running.contains("ticker-flush"), running::toString);
                }

                deployer.undeploy(WAR);
                deployed = false;

                assertEquals(CloseCodes.GOING_AWAY, idle.awaitClose().getCloseCode());
                assertEquals(CloseCodes.GOING_AWAY, busy.awaitClose().getCloseCode());
                assertEquals(List.of(), busy.seqProblems());
            }
            if (isEmbedded()) {
                // The server runs in this JVM: its threads are ours to inspect.
                List<String> left = tickerThreads();
                for (int i = 0; i < 50 && !left.isEmpty(); i++) {
                    Thread.sleep(100);
                    left = tickerThreads();
                }
                assertEquals(List.of(), left, "threads left behind by the undeployed app");
            }
        } finally {
            if (deployed) {
                deployer.undeploy(WAR);
            }
        }
    }

    private static boolean isEmbedded() {
        return System.getProperty("arquillian.launch", "glassfish-embedded").equals("glassfish-embedded");
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
