package dev.ticker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ticker.stream.protocol.FrameContract;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The stream over Server-Sent Events (docs/protocol.md, "Server-Sent Events"), as a client behind
 * a proxy that blocks WebSocket uses it: the same frames and {@code seq} as on the WebSocket, the
 * event id being the {@code seq}, requests posted to the stream's control URL, errors and closes
 * as the WebSocket gives them.
 */
class SseStreamIT extends DeployedTicker {

    private static final int MAX_MESSAGE_BYTES = 4096;

    private URI sse() {
        return URI.create(base.toExternalForm() + "sse/quotes");
    }

    @Test
    void aStreamOpensAtOnceWithHeadersNoProxyBuffersAndItsControlUrl() throws Exception {
        try (SseClient client = SseClient.open(sse())) {
            assertEquals(200, client.status());
            HttpResponse<?> response = client.response();
            assertTrue(response.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT)
                    .startsWith("text/event-stream"), response.headers().toString());
            assertEquals("no-store", response.headers().firstValue("Cache-Control").orElse(""));
            assertEquals("no", response.headers().firstValue("X-Accel-Buffering").orElse(""));
            URI control = client.control();
            assertTrue(control.getPath().matches("/ticker/sse/quotes/[0-9a-f]{32}"), control.toString());
            JsonObject welcome = client.expect("welcome");
            assertEquals(1, welcome.getInt("seq"));
            assertEquals("ticker.v1", welcome.getString("protocol"));
            assertEquals("3000", client.retry());
        }
    }

    @Test
    void subscribeGivesSubscribedSnapshotThenTicksWithContiguousSeq() throws Exception {
        try (SseClient client = SseClient.open(sse())) {
            client.expect("welcome");
            assertEquals(202, client.send("{\"type\":\"subscribe\",\"id\":1,\"symbols\":[\"AAPL\",\"msft\"]}"));
            JsonObject subscribed = client.expect("subscribed");
            assertEquals(1, subscribed.getInt("id"));
            assertEquals(List.of("AAPL", "MSFT"), subscribed.getJsonArray("symbols").getValuesAs(jakarta.json.JsonString.class)
                    .stream().map(jakarta.json.JsonString::getString).toList());
            JsonObject snapshot = client.expect("snapshot");
            assertEquals(2, snapshot.getJsonArray("data").size());
            for (int i = 0; i < 5; i++) {
                JsonObject ticks = client.awaitType("ticks");
                for (JsonObject quote : ticks.getJsonArray("data").getValuesAs(JsonObject.class)) {
                    assertTrue(List.of("AAPL", "MSFT").contains(quote.getString("symbol")), quote.toString());
                }
            }
            assertEquals(List.of(), client.seqProblems());
        }
    }

    @Test
    void unsubscribePingAndHistoryAreAnsweredOnTheStream() throws Exception {
        try (SseClient client = SseClient.open(sse())) {
            client.expect("welcome");
            client.send("{\"type\":\"subscribe\",\"symbols\":[\"AAPL\"],\"snapshot\":false}");
            client.awaitType("subscribed");
            assertEquals(202, client.send("{\"type\":\"unsubscribe\",\"id\":\"u\",\"symbols\":[\"AAPL\"]}"));
            assertEquals("u", client.awaitType("unsubscribed").getString("id"));
            assertEquals(202, client.send("{\"type\":\"ping\",\"id\":42}"));
            assertEquals(42, client.awaitType("pong").getInt("id"));
            assertEquals(202, client.send("{\"type\":\"history\",\"id\":7,\"symbol\":\"AAPL\"}"));
            JsonObject history = client.awaitType("history");
            assertEquals(7, history.getInt("id"));
            assertEquals("AAPL", history.getString("symbol"));
            assertEquals(List.of(), client.seqProblems());
        }
    }

    @Test
    void aQuietStreamGetsHeartbeats() throws Exception {
        try (SseClient client = SseClient.open(sse())) {
            JsonObject welcome = client.expect("welcome");
            long heartbeatMs = welcome.getJsonNumber("heartbeatMs").longValue();
            JsonObject heartbeat = client.await(f -> true, Duration.ofMillis(2 * heartbeatMs + 2000), "heartbeat");
            assertEquals("heartbeat", heartbeat.getString("type"));
            assertEquals(2, heartbeat.getInt("seq"));
        }
    }

    @Test
    void aStreamThatAnswersItsPingsStaysAndOneThatDoesNotIsClosedWith4003() throws Exception {
        int pingMillis = Integer.getInteger("it.pingMillis", 3000);
        int pongTimeoutMillis = Integer.getInteger("it.pongTimeoutMillis", 2000);
        try (SseClient answers = SseClient.open(sse()); SseClient silent = SseClient.open(sse())) {
            silent.ignorePings();
            for (SseClient client : List.of(answers, silent)) {
                client.expect("welcome");
                client.send("{\"type\":\"subscribe\",\"symbols\":[\"AAPL\"],\"snapshot\":false}");
            }
            JsonObject close = silent.awaitClose(Duration.ofMillis(2L * pingMillis + pongTimeoutMillis + 3000));
            assertEquals(4003, close.getInt("code"), close.toString());
            assertTrue(silent.pings() > 0, "the silent client was never pinged");
            Thread.sleep(pingMillis);
            assertFalse(answers.isClosed(), "the client that answers was closed");
            assertTrue(answers.pings() > 0, "the client that answers was never pinged");
            answers.awaitType("ticks");
            assertEquals(List.of(), answers.seqProblems());
        }
    }

    @Test
    void badRequestsGetTheSameTypedErrorsAsOnTheWebSocket() throws Exception {
        try (SseClient client = SseClient.open(sse())) {
            client.expect("welcome");
            assertEquals(202, client.send("{\"type\":\"subscribe\",\"symbols\":[\"AAPL\""));
            JsonObject malformed = client.awaitType("error");
            assertEquals("BAD_REQUEST", malformed.getString("code"));
            assertTrue(malformed.getString("message").startsWith("malformed JSON"), malformed.toString());
            assertEquals(202, client.send("{\"type\":\"buy\",\"id\":3}"));
            JsonObject unknown = client.awaitType("error");
            assertEquals("UNKNOWN_TYPE", unknown.getString("code"));
            assertEquals(3, unknown.getInt("id"));
            assertEquals(202, client.send("{\"type\":\"history\",\"id\":4,\"symbol\":\"NOPE\"}"));
            assertEquals("UNKNOWN_SYMBOL", client.awaitType("error").getString("code"));
            assertFalse(client.isClosed(), "bad requests do not end the stream");
            assertEquals(List.of(), client.seqProblems());
        }
    }

    @Test
    void anOversizedRequestGets413AndClosesTheStreamWith1009() throws Exception {
        try (SseClient client = SseClient.open(sse())) {
            client.expect("welcome");
            String big = "{\"type\":\"subscribe\",\"symbols\":[\"" + "A".repeat(MAX_MESSAGE_BYTES) + "\"]}";
            HttpResponse<String> response = SseClient.post(client.control(), big);
            assertEquals(413, response.statusCode(), response.body());
            assertHttpError("MESSAGE_TOO_BIG", response.body());
            assertEquals(1009, client.awaitClose().getInt("code"));
        }
    }

    @Test
    void aRequestThatIsNotUtf8Gets400AndClosesTheStreamWith1007() throws Exception {
        try (SseClient client = SseClient.open(sse())) {
            client.expect("welcome");
            byte[] body = "{\"type\":\"ping\",\"id\":\"\u00ff\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            HttpResponse<String> response = SseClient.post(client.control(), body);
            assertEquals(400, response.statusCode(), response.body());
            assertHttpError("BAD_REQUEST", response.body());
            assertEquals(1007, client.awaitClose().getInt("code"));
        }
    }

    @Test
    void aFloodOfRequestsIsLimitedThenClosedWith1008() throws Exception {
        try (SseClient client = SseClient.open(sse())) {
            client.expect("welcome");
            int limited = 0;
            for (int i = 0; i < 200 && !client.isClosed(); i++) {
                int status = client.send("{\"type\":\"ping\",\"id\":" + i + "}");
                if (status == 404) {
                    break;                       // closed meanwhile: its control URL is gone
                }
                assertEquals(202, status);
            }
            for (JsonObject frame = client.next(); !client.isClosed() || frame != null; frame = poll(client)) {
                if (frame != null && frame.getString("type").equals("error")) {
                    assertEquals("RATE_LIMITED", frame.getString("code"));
                    limited++;
                }
                if (frame == null) {
                    break;
                }
            }
            assertTrue(limited > 0, "no request was rate limited");
            assertEquals(1008, client.awaitClose().getInt("code"));
        }
    }

    private static JsonObject poll(SseClient client) {
        try {
            return client.await(f -> true, Duration.ofMillis(500), "frame");
        } catch (AssertionError | InterruptedException none) {
            return null;
        }
    }

    @Test
    void aControlUrlOfNoLiveStreamGets404WithoutSayingWhetherItExisted() throws Exception {
        URI ended;
        try (SseClient client = SseClient.open(sse())) {
            client.expect("welcome");
            ended = client.control();
        }
        HttpResponse<String> never = SseClient.post(URI.create(sse() + "/" + "0123456789abcdef".repeat(2)), "{\"type\":\"ping\"}");
        assertEquals(404, never.statusCode());
        assertHttpError("NO_SUCH_STREAM", never.body());
        HttpResponse<String> gone = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            // The server learns that the client went away when a write fails: a heartbeat's at the latest.
            gone = SseClient.post(ended, "{\"type\":\"ping\"}");
            if (gone.statusCode() == 404) {
                break;
            }
            Thread.sleep(200);
        }
        assertEquals(404, gone.statusCode(), gone.body());
        assertEquals(never.body(), gone.body(), "an ended stream reads like one that never was");
        assertEquals(404, SseClient.post(URI.create(sse() + "/"), "{\"type\":\"ping\"}").statusCode());
        assertEquals(404, SseClient.post(URI.create(ended + "/more"), "{\"type\":\"ping\"}").statusCode());
    }

    @Test
    void onlyGetOpensAStream() throws Exception {
        assertEquals(405, SseClient.request("HEAD", sse()));
        assertEquals(404, SseClient.post(sse(), "{\"type\":\"ping\"}").statusCode());
        assertEquals(405, SseClient.request("PUT", sse()));
    }

    @Test
    void aForeignPageCannotOpenAStream() throws Exception {
        SseClient refused = SseClient.open(sse(), List.of("Origin", "https://evil.example"));
        assertEquals(403, refused.status(), refused.body());
        try (SseClient own = SseClient.open(sse(), List.of("Origin", "http://" + base.getHost() + ":" + base.getPort()))) {
            assertEquals(200, own.status());
            own.expect("welcome");
        }
    }

    @Test
    void aStreamSubscribedToNothingIsClosedWith1008() throws Exception {
        int subscribeTimeoutMillis = Integer.getInteger("it.subscribeTimeoutMillis", 5000);
        try (SseClient client = SseClient.open(sse())) {
            client.expect("welcome");
            JsonObject close = client.awaitClose(Duration.ofMillis(subscribeTimeoutMillis + 5000));
            assertEquals(1008, close.getInt("code"), close.toString());
            assertTrue(close.getString("reason").contains("subscribed to nothing"), close.toString());
        }
    }

    @Test
    void streamsOpenedWithoutTheGateAreClosedWith1008WhateverTicketTheyBring() throws Exception {
        // A ticket of the client's own making, on the one path the gate does not cover: refused all the same.
        try (SseClient forged = SseClient.open(URI.create(sse() + "/"), List.of("X-Ticker-Ticket", "0".repeat(32)))) {
            assertEquals(200, forged.status());
            assertEquals(1008, forged.awaitClose().getInt("code"));
        }
    }

    @Test
    void streamsOpenedWithoutTheGateAreClosedWith1008() throws Exception {
        // "/sse/quotes/" is served by the same servlet, but the admission gate maps the exact path only.
        try (SseClient client = SseClient.open(URI.create(sse() + "/"))) {
            assertEquals(200, client.status());
            assertEquals(1008, client.awaitClose().getInt("code"));
        }
    }

    /** A control URL's error body: the contract's SseHttpError, with {@code code}. */
    private static void assertHttpError(String code, String body) {
        FrameContract.assertValid("SseHttpError", body);
        assertEquals(code, Json.createReader(new StringReader(body)).readObject().getString("code"), body);
    }
}
