package dev.ticker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The page, its modules and the health endpoint are served. */
class PageIT extends DeployedTicker {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base.toExternalForm()).resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pageIsServedAtTheContextRoot() throws Exception {
        HttpResponse<String> page = get("");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("Simulated data"));
        assertTrue(page.body().contains("js/app.js"));
    }

    @Test
    void scriptsAndStylesAreServedWithUsableTypes() throws Exception {
        for (String module : new String[] {"js/app.js", "js/ticker-socket.js", "js/quote-table.js"}) {
            HttpResponse<String> script = get(module);
            assertEquals(200, script.statusCode(), module);
            assertTrue(script.headers().firstValue("Content-Type").orElse("").contains("javascript"),
                    () -> module + " served as " + script.headers().firstValue("Content-Type"));
        }
        assertEquals(200, get("css/ticker.css").statusCode());
    }

    @Test
    void healthReportsTheFeed() throws Exception {
        HttpResponse<String> response = get("health");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonObject health = Json.createReader(new StringReader(response.body())).readObject();
        assertEquals("UP", health.getString("status"));
        QuoteStreamIT.assertBuild(health.getJsonObject("build"));
        assertTrue(health.getBoolean("feedRunning"));
        assertTrue(health.getJsonNumber("msSinceFlush").longValue() < 2000, () -> "flushing: " + health);
        assertEquals(30, health.getInt("symbols"));
        int connected;
        try (QuoteClient client = connect()) {
            client.expect("welcome");
            connected = Json.createReader(new StringReader(get("health").body())).readObject().getInt("sessions");
            assertTrue(connected >= 1, "the open connection is counted: " + connected);
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        int after = connected;
        while (after >= connected && System.nanoTime() < deadline) {
            Thread.sleep(100);
            after = Json.createReader(new StringReader(get("health").body())).readObject().getInt("sessions");
        }
        assertTrue(after < connected, "the closed connection is no longer counted: " + connected + " -> " + after);
        assertTrue(health.containsKey("closedByServer"));
        long ticks = health.getJsonNumber("ticksProduced").longValue();
        Thread.sleep(500);
        JsonObject later = Json.createReader(new StringReader(get("health").body())).readObject();
        assertTrue(later.getJsonNumber("ticksProduced").longValue() > ticks, "ticks are being produced");
    }

    @Test
    void liveAndReadyProbesAnswerInTheMicroProfileHealthShape() throws Exception {
        for (String probe : List.of("health/live", "health/ready")) {
            HttpResponse<String> response = get(probe);
            assertEquals(200, response.statusCode(), () -> probe + ": " + response.body());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), probe);
            JsonObject body = Json.createReader(new StringReader(response.body())).readObject();
            assertEquals("UP", body.getString("status"), probe);
            List<String> names = body.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                    .peek(check -> assertEquals("UP", check.getString("status"), () -> probe + ": " + check))
                    .peek(check -> assertTrue(check.containsKey("data"), () -> probe + ": " + check))
                    .map(check -> check.getString("name")).toList();
            assertEquals(probe.endsWith("live") ? List.of("feed-threads", "flush-thread") : List.of("feed", "flush", "draining"), names, probe);
        }
    }
}
