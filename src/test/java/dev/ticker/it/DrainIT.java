package dev.ticker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A drain takes a node out of service without a reconnect storm: readiness goes DOWN and new
 * handshakes get 503 at once, every client is told when it will be closed, and the closes (1001)
 * come at those times, spread over {@code ticker.drainMillis} (3 s here) rather than all at once;
 * on a drain request and on undeploy alike. On its own deployment, {@code /ticker-drain}: a
 * drained node stays drained.
 */
class DrainIT extends RedeployedTicker {

    static final String DRAIN = "ticker-drain";
    private static final long DRAIN_MILLIS = 3_000;
    // Below the ITs' limit per address (it.maxSessionsPerAddress, 40).
    private static final int CLIENTS = 30;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<QuoteClient> clients = new ArrayList<>();
    private boolean deployed;

    @Deployment(name = DRAIN, managed = false, testable = false)
    static WebArchive drainDeployment() {
        return TickerDeployment.withContextParam(DRAIN, "ticker.drainMillis", "5000", String.valueOf(DRAIN_MILLIS));
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (QuoteClient client : clients) {
            client.close();
        }
        if (deployed) {
            deployer.undeploy(DRAIN);
        }
    }

    private static String base() {
        return httpBase().replace("/ticker/", "/" + DRAIN + "/");
    }

    private void connectClients() throws Exception {
        deployer.deploy(DRAIN);
        deployed = true;
        URI stream = URI.create(base().replaceFirst("^http", "ws") + "ws/quotes");
        for (int i = 0; i < CLIENTS; i++) {
            QuoteClient client = QuoteClient.connect(stream);
            clients.add(client);
            client.expect("welcome");
            client.send("{\"type\":\"subscribe\",\"symbols\":[\"AAPL\"]}");
        }
        for (QuoteClient client : clients) {
            client.awaitType("snapshot");
        }
    }

    @Test
    void aDrainRequestTakesTheNodeOutAndSpreadsTheClosesOverTheDrain() throws Exception {
        connectClients();
        assertEquals(200, get("health/ready").statusCode());
        long requestedAt = System.currentTimeMillis();
        HttpResponse<String> drain = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "admin/drain"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, drain.statusCode(), drain.body());
        JsonObject answer = Json.createReader(new StringReader(drain.body())).readObject();
        assertEquals("draining", answer.getString("status"));
        assertEquals(DRAIN_MILLIS, answer.getJsonNumber("drainMs").longValue());
        assertTrue(answer.getInt("sessions") >= CLIENTS, answer::toString);

        HttpResponse<String> ready = get("health/ready");
        assertEquals(503, ready.statusCode(), ready.body());
        assertTrue(ready.body().contains("{\"name\":\"draining\",\"status\":\"DOWN\""), ready.body());
        assertEquals(200, get("health/live").statusCode(), "a draining node needs no restart");
        assertEquals(503, get("ws/quotes").statusCode(), "new handshakes are refused while draining");
        HttpResponse<String> again = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "admin/drain"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(answer.getJsonNumber("closesBy"), Json.createReader(new StringReader(again.body())).readObject()
                .getJsonNumber("closesBy"), "a second request changes nothing");

        assertClosesSpreadOverTheDrain(requestedAt);
    }

    /**
     * An undeploy drains as a request does. Tomcat and WildFly close the WebSocket sessions
     * themselves in a context listener of their own; the WAR's drain runs before it
     * ({@code DrainOnUndeploy}), which this proves on each server. Not on Payara Micro, whose
     * adapter "undeploys" by ending the server's JVM (Process.destroy, SIGTERM): a JVM that exits
     * does not drain (README "Draining a node": stop a server after a drain request), so there it
     * would only test Payara Micro's shutdown.
     */
    @Test
    void anUndeployDrainsTheClientsTheSameWay() throws Exception {
        Assumptions.assumeFalse("payara".equals(System.getProperty("arquillian.launch")),
                "Payara Micro's adapter undeploys by ending the JVM, and an exiting JVM does not drain");
        connectClients();
        long requestedAt = System.currentTimeMillis();
        long started = System.nanoTime();
        deployer.undeploy(DRAIN);
        deployed = false;
        long undeployMillis = (System.nanoTime() - started) / 1_000_000;
        assertClosesSpreadOverTheDrain(requestedAt);
        assertTrue(undeployMillis < DRAIN_MILLIS + 15_000, "the undeploy waited for the drain, not longer: " + undeployMillis + " ms");
    }

    /** Every client got its notice, then its 1001 at the time the notice named; the closes are spread. */
    private void assertClosesSpreadOverTheDrain(long requestedAt) throws Exception {
        List<Long> closes = new ArrayList<>();
        List<Long> announced = new ArrayList<>();
        for (QuoteClient client : clients) {
            JsonObject notice = client.await(f -> f.getString("type").equals("notice"), Duration.ofSeconds(5), "notice");
            assertEquals("draining", notice.getString("reason"));
            assertEquals(DRAIN_MILLIS, notice.getJsonNumber("drainMs").longValue());
            long closesAt = notice.getJsonNumber("closesAt").longValue();
            assertTrue(closesAt >= requestedAt && closesAt <= requestedAt + DRAIN_MILLIS + 1_000,
                    () -> "closesAt " + (closesAt - requestedAt) + " ms after the request");
            CloseReason reason = client.awaitClose(Duration.ofMillis(DRAIN_MILLIS + 5_000));
            assertEquals(CloseReason.CloseCodes.GOING_AWAY, reason.getCloseCode(), reason::toString);
            assertTrue(client.seqProblems().isEmpty(), client.seqProblems()::toString);
            // Not before the time it was told (the clocks are one machine's), and not long after.
            long late = client.closedAt() - closesAt;
            assertTrue(late >= -50 && late <= 1_500, () -> "closed " + late + " ms after its closesAt");
            closes.add(client.closedAt() - requestedAt);
            announced.add(closesAt - requestedAt);
        }
        Collections.sort(closes);
        Collections.sort(announced);
        String spread = "closes (ms after the drain began): " + closes + "; announced: " + announced;
        System.out.println("DrainIT " + spread);
        assertTrue(closes.get(closes.size() - 1) - closes.get(0) >= DRAIN_MILLIS / 2, spread);
        // Evenly spread: 30 closes over 3 s are about 5 in any 500 ms; all at once would be 30.
        for (int i = 0; i < closes.size(); i++) {
            int from = i;
            long inWindow = closes.stream().filter(t -> t >= closes.get(from) && t < closes.get(from) + 500).count();
            assertTrue(inWindow <= CLIENTS / 3, () -> inWindow + " closes within 500 ms; " + spread);
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
