package dev.ticker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Churn: thousands of connect, subscribe, drop cycles, a third each ended with a close frame, with
 * a bare FIN and with a TCP reset. Afterwards the server holds no session and no admission slot,
 * and its heap is back near where it started.
 */
class ChurnIT extends DeployedTicker {

    private static final int CYCLES = 3000;
    private static final int WORKERS = 6;
    private static final long HEAP_SLACK_BYTES = 48L << 20;

    @Test
    void connectSubscribeDropCyclesLeaveNothingBehind() throws Exception {
        URI direct = URI.create(stream().toString().replaceFirst("//[^/:]+", "//127.0.0.1"));
        ServerJvm jvm = ServerJvm.listeningOn(direct.getPort());
        long heapBefore = jvm.heapAfterGc();
        AtomicInteger upgraded = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            // One client address per worker, so no address comes near its connection limit.
            InetAddress from = InetAddress.getByName("127.0.3." + (w + 1));
            int worker = w;
            workers.add(pool.submit(() -> {
                for (int i = worker; i < CYCLES; i += WORKERS) {
                    RawWebSocket socket = RawWebSocket.open(direct, null, 0, List.of(), from);
                    if (!socket.upgraded()) {
                        // A server still counting a just-dropped connection may say 429/503: that is
                        // the limit working, not a leak; what is left at the end decides.
                        refused.incrementAndGet();
                        socket.close();
                        Thread.sleep(20);
                        continue;
                    }
                    upgraded.incrementAndGet();
                    socket.sendText("{\"type\":\"subscribe\",\"symbols\":[\"*\"]}");
                    switch (i % 3) {
                        case 0 -> socket.closeWithFrame();
                        case 1 -> socket.close();
                        default -> socket.abort();
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        // Refusals (429/503 while the server still counts connections just dropped) are the limits
        // at work; most cycles must get through all the same.
        assertTrue(upgraded.get() > CYCLES / 2, "upgraded " + upgraded + ", refused " + refused);

        // A handshake whose client vanished before its session opened holds its place until the
        // ticket expires, 30 s after it was issued, checked every second. A connection the server
        // closed itself (a vanished client the container did not notice, found by the ping or the
        // subscribe timeout) holds it until the container reports the close, or 60 s after the
        // close if it never does (Closer.MAX_CLOSING_MILLIS). Wait past both; on a failure, the
        // health's closedByServer says which closes there were.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(70);
        JsonObject health = health();
        while ((health.getInt("sessions") != 0 || admitted() != 0) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            health = health();
        }
        JsonObject last = health;
        assertEquals(0, health.getInt("sessions"), () -> "sessions left after the churn; health " + last);
        assertEquals(0, admitted(), () -> "admission slots left after the churn; health " + last);

        long heapAfter = jvm.heapAfterGc();
        assertTrue(heapAfter - heapBefore < HEAP_SLACK_BYTES,
                "heap after GC grew from " + heapBefore / 1024 + " KB to " + heapAfter / 1024 + " KB");
    }

    private JsonObject health() throws Exception {
        try (JsonReader reader = Json.createReader(new StringReader(get("health")))) {
            return reader.readObject();
        }
    }

    private double admitted() throws Exception {
        return metric("ticker_sessions_admitted");
    }

    private String get(String path) throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(base.toExternalForm() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
