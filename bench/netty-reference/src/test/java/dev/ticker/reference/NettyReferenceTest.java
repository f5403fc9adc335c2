package dev.ticker.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Netty reference speaks protocol v1 as the WAR and the Node reference do, over a real socket. */
class NettyReferenceTest {

    private NettyReference.Running server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws InterruptedException {
        server = NettyReference.start(Map.of("port", "0", "symbols", "20", "updates-per-second", "20",
                "flush-millis", "50", "heartbeat-millis", "1000"));
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    /** Every message one client received, text or binary, in order. */
    private static final class Recorder implements WebSocket.Listener {
        final BlockingQueue<Object> messages = new LinkedBlockingQueue<>(100_000);
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private StringBuilder text = new StringBuilder();
        private ByteBuffer bytes = ByteBuffer.allocate(0);

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text = new StringBuilder();
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            ByteBuffer joined = ByteBuffer.allocate(bytes.remaining() + data.remaining()).put(bytes).put(data).flip();
            bytes = joined;
            if (last) {
                byte[] all = new byte[bytes.remaining()];
                bytes.get(all);
                messages.add(all);
                bytes = ByteBuffer.allocate(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            closed.complete(code);
            return null;
        }

        JsonObject next() throws InterruptedException {
            Object m = messages.poll(5, TimeUnit.SECONDS);
            if (m == null) {
                throw new AssertionError("no message in 5 s");
            }
            String json = m instanceof byte[] b ? "B" + new String(b, StandardCharsets.UTF_8) : "T" + m;
            JsonObject frame = Json.createReader(new StringReader(json.substring(1))).readObject();
            return Json.createObjectBuilder(frame).add("_binary", json.charAt(0) == 'B').build();
        }
    }

    private WebSocket connect(Recorder recorder, String... subprotocols) {
        WebSocket.Builder builder = http.newWebSocketBuilder();
        if (subprotocols.length > 0) {
            builder.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        return builder.buildAsync(URI.create("ws://localhost:" + server.port() + "/ticker/ws/quotes"), recorder).join();
    }

    @Test
    void aSubscriberGetsWelcomeSubscribedSnapshotThenTicksInSeqOrder() throws Exception {
        Recorder recorder = new Recorder();
        WebSocket ws = connect(recorder, "ticker.v1");
        assertEquals("ticker.v1", ws.getSubprotocol());
        JsonObject welcome = recorder.next();
        assertEquals("welcome", welcome.getString("type"));
        assertEquals(1, welcome.getInt("seq"));
        assertEquals(20, welcome.getJsonArray("symbols").size());
        assertEquals(4096, welcome.getJsonObject("limits").getInt("maxMessageBytes"));
        Thread.sleep(300);                      // so that every symbol has traded and has a snapshot
        ws.sendText("{\"type\":\"subscribe\",\"id\":\"a\",\"symbols\":[\"*\"]}", true).join();
        JsonObject subscribed = recorder.next();
        assertEquals("subscribed", subscribed.getString("type"));
        assertEquals("a", subscribed.getString("id"));
        assertEquals(20, subscribed.getJsonArray("symbols").size());
        JsonObject snapshot = recorder.next();
        assertEquals("snapshot", snapshot.getString("type"));
        assertFalse(snapshot.getJsonArray("data").isEmpty());
        long seq = snapshot.getInt("seq");
        int quotes = 0;
        for (int i = 0; i < 20; i++) {
            JsonObject frame = recorder.next();
            assertEquals(++seq, frame.getInt("seq"), "seq without a gap");
            assertFalse(frame.getBoolean("_binary"));
            if (frame.getString("type").equals("ticks")) {
                quotes += frame.getJsonArray("data").size();
                frame.getJsonArray("data").getValuesAs(JsonObject.class)
                        .forEach(q -> assertTrue(q.getString("symbol").startsWith("SYN") && q.containsKey("ts")));
            }
        }
        assertTrue(quotes > 20, "ticks carried quotes: " + quotes);
        ws.sendText("{\"type\":\"ping\",\"id\":7}", true).join();
        JsonObject pong;
        do {
            pong = recorder.next();
        } while (!pong.getString("type").equals("pong"));
        assertEquals(7, pong.getInt("id"));
    }

    @Test
    void aClientOfferingTheBinaryVariantFirstGetsEveryFrameAsBinary() throws Exception {
        Recorder recorder = new Recorder();
        WebSocket ws = connect(recorder, "ticker.v1.binary", "ticker.v1");
        assertEquals("ticker.v1.binary", ws.getSubprotocol());
        ws.sendText("{\"type\":\"subscribe\",\"symbols\":[\"SYN001\",\"syn002\",\"NOPE\"]}", true).join();
        List<String> types = new ArrayList<>();
        long seq = 0;
        // Two symbols first (each frame built for this client), then every symbol: the frames
        // shared by the subscribers of everything.
        for (int i = 0; i < 30; i++) {
            JsonObject frame = recorder.next();
            assertTrue(frame.getBoolean("_binary"), "binary: " + frame);
            assertEquals(++seq, frame.getInt("seq"), "seq without a gap");
            types.add(frame.getString("type"));
            if (frame.getString("type").equals("subscribed") && types.indexOf("subscribed") == types.size() - 1) {
                assertEquals(List.of("SYN001", "SYN002"), frame.getJsonArray("symbols").getValuesAs(jakarta.json.JsonString.class)
                        .stream().map(jakarta.json.JsonString::getString).toList());
                ws.sendText("{\"type\":\"subscribe\",\"symbols\":[\"*\"],\"snapshot\":false}", true).join();
            }
        }
        assertEquals("welcome", types.get(0));
        assertEquals(2, types.stream().filter("subscribed"::equals).count(), types.toString());
        assertTrue(types.stream().filter("ticks"::equals).count() > 20, types.toString());
    }

    @Test
    void aBinaryRequestIsClosedWith1003AndBadJsonGetsATypedError() throws Exception {
        Recorder recorder = new Recorder();
        WebSocket ws = connect(recorder);
        recorder.next();
        ws.sendText("{not json", true).join();
        JsonObject error = recorder.next();
        assertEquals("error", error.getString("type"));
        assertEquals("BAD_REQUEST", error.getString("code"));
        ws.sendText("{\"type\":\"dance\"}", true).join();
        assertEquals("UNKNOWN_TYPE", recorder.next().getString("code"));
        ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
        assertEquals(1003, recorder.closed.get(5, TimeUnit.SECONDS));
    }

    @Test
    void healthCountsSessionsAndTrades() throws Exception {
        Recorder recorder = new Recorder();
        WebSocket ws = connect(recorder);
        recorder.next();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + server.port() + "/health")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        JsonObject health = Json.createReader(new StringReader(response.body())).readObject();
        assertEquals(1, health.getInt("sessions"));
        assertTrue(health.getJsonNumber("trades").longValue() > 0, response.body());
        ws.sendClose(1000, "bye").join();
        recorder.closed.get(5, TimeUnit.SECONDS);
    }

    @Test
    void moneyIsWrittenAsJavaScriptsToFixedTwo() {
        assertEquals("123.40", Market.money(12340));
        assertEquals("0.05", Market.money(5));
        assertEquals("-0.05", Market.money(-5));
        assertEquals("-12.00", Market.money(-1200));
    }
}
