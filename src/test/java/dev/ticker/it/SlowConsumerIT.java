package dev.ticker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Clients that stop reading (plain sockets with a small receive buffer that never read again)
 * beside a client that reads: the reader keeps getting its ticks on time, the stuck ones are closed
 * (4002 when a send stays stuck past the send timeout, 4003 when the ping they never read goes
 * unanswered; whichever comes first), and the server's heap stays bounded.
 */
class SlowConsumerIT extends DeployedTicker {

    private static final int STALLED = 10;
    private static final long MAX_GAP_MILLIS = 1500;
    private static final long HEAP_SLACK_BYTES = 64L << 20;

    private String health() {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base.toExternalForm() + "health")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "unreadable: " + e;
        }
    }

    private static String closeOf(QuoteClient client) {
        try {
            return String.valueOf(client.awaitClose(java.time.Duration.ofMillis(10)));
        } catch (Throwable e) {
            return "unknown";
        }
    }

    @Test
    void stalledClientsAreClosedWhileTheOthersKeepStreaming() throws Exception {
        ServerJvm jvm = ServerJvm.listeningOn(base.getPort());
        long heapBefore = jvm.heapAfterGc();
        long closedBefore = closedByServer(4002) + closedByServer(4003);
        List<RawWebSocket> stalled = new ArrayList<>();
        try (QuoteClient reader = connect()) {
            reader.expect("welcome");
            reader.send("{\"type\":\"subscribe\",\"symbols\":[\"*\"],\"snapshot\":false}");
            reader.awaitType("subscribed");
            openStalled(stalled);
            // Read for as long as the server takes to close all the stalled ones (at most send
            // timeout or ping interval + pong timeout, plus a flush), measuring the reader's gaps.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            AtomicLong lastTicks = new AtomicLong(System.nanoTime());
            // Should the reader starve, what the server's own threads were doing at the time.
            AtomicReference<String> stacksInGap = new AtomicReference<>();
            ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor();
            watch.scheduleWithFixedDelay(() -> {
                if (stacksInGap.get() == null && System.nanoTime() - lastTicks.get() > TimeUnit.MILLISECONDS.toNanos(MAX_GAP_MILLIS)) {
                    stacksInGap.set(jvm.stacks("ticker-"));
                }
            }, 100, 100, TimeUnit.MILLISECONDS);
            long worstGapMillis = 0;
            int ticks = 0;
            try {
                while (System.nanoTime() < deadline) {
                    assertTrue(!reader.isClosed(), () -> "the reader was closed: " + closeOf(reader) + "; server: " + health());
                    JsonObject frame = reader.await(f -> true, QuoteClient.WAIT,
                            () -> "a frame (server: " + health() + "; its threads:\n" + jvm.stacks("ticker-") + ")");
                    if (frame.getString("type").equals("ticks")) {
                        long now = System.nanoTime();
                        worstGapMillis = Math.max(worstGapMillis, TimeUnit.NANOSECONDS.toMillis(now - lastTicks.get()));
                        lastTicks.set(now);
                        ticks++;
                    }
                    if (closedByServer(4002) + closedByServer(4003) - closedBefore >= STALLED && ticks > 20) {
                        break;
                    }
                }
            } finally {
                watch.shutdownNow();
            }
            assertEquals(STALLED, closedByServer(4002) + closedByServer(4003) - closedBefore,
                    "stalled clients closed with 4002 or 4003");
            long gap = worstGapMillis;
            assertTrue(gap < MAX_GAP_MILLIS, () -> "the reader waited " + gap + " ms between ticks frames; the server's threads then:\n"
                    + stacksInGap.get());
            assertEquals(List.of(), reader.seqProblems());
        } finally {
            for (RawWebSocket socket : stalled) {
                socket.close();
            }
        }
        long heapAfter = jvm.heapAfterGc();
        assertTrue(heapAfter - heapBefore < HEAP_SLACK_BYTES,
                "heap after GC grew from " + heapBefore / 1024 + " KB to " + heapAfter / 1024 + " KB");
    }

    /**
     * Clients that read nothing but send a pong of their own every 250 ms: a pong that does not
     * echo the server's ping (whose payload they never read) proves nothing, so they are closed as
     * if silent (on GlassFish and Payara the ping is all that catches them: there a send never looks
     * stuck), and what the container buffered for them is freed.
     */
    @Test
    void stalledClientsThatSendPongsOfTheirOwnAreClosedToo() throws Exception {
        ServerJvm jvm = ServerJvm.listeningOn(base.getPort());
        long heapBefore = jvm.heapAfterGc();
        long closedBefore = closedByServer(4002) + closedByServer(4003);
        List<RawWebSocket> stalled = new ArrayList<>();
        ScheduledExecutorService ponger = Executors.newSingleThreadScheduledExecutor();
        try {
            openStalled(stalled);
            java.util.Random random = new java.util.Random();
            ponger.scheduleAtFixedRate(() -> {
                for (RawWebSocket socket : stalled) {
                    byte[] payload = new byte[8];
                    random.nextBytes(payload);
                    try {
                        socket.sendFrame(0xA, payload, true);
                    } catch (java.io.IOException closedByTheServer) {
                        // it stops here
                    }
                }
            }, 0, 250, TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (closedByServer(4002) + closedByServer(4003) - closedBefore < STALLED && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertEquals(STALLED, closedByServer(4002) + closedByServer(4003) - closedBefore,
                    "clients that send pongs but read nothing closed with 4002 or 4003; server: " + health());
        } finally {
            ponger.shutdownNow();
            for (RawWebSocket socket : stalled) {
                socket.close();
            }
        }
        long heapAfter = jvm.heapAfterGc();
        assertTrue(heapAfter - heapBefore < HEAP_SLACK_BYTES,
                "heap after GC grew from " + heapBefore / 1024 + " KB to " + heapAfter / 1024 + " KB");
    }

    /** Opens {@link #STALLED} clients into {@code stalled}, each subscribed to everything with a 4 KiB receive buffer it never reads. */
    private void openStalled(List<RawWebSocket> stalled) throws Exception {
        for (int i = 0; i < STALLED; i++) {
            RawWebSocket socket = RawWebSocket.open(stream(), null, 4096);
            assertTrue(socket.upgraded(), socket.statusLine());
            socket.sendText("{\"type\":\"subscribe\",\"symbols\":[\"*\"]}");
            stalled.add(socket);
        }
    }
}
