package dev.ticker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server's limits (issue #6), as a client meets them: announced in {@code welcome}, refused
 * before the upgrade (429 per address, 503 in all) or closed after it (no subscription, no pong).
 * The IT servers run with small limits (pom.xml, {@code it.*}) so each can be reached quickly.
 */
class LimitsIT extends DeployedTicker {

    private static final int PER_ADDRESS = Integer.getInteger("it.maxSessionsPerAddress", 40);
    private static final int MAX_SESSIONS = Integer.getInteger("it.maxSessions", 60);
    private static final int PING_MILLIS = Integer.getInteger("it.pingMillis", 3000);
    private static final int PONG_TIMEOUT_MILLIS = Integer.getInteger("it.pongTimeoutMillis", 2000);
    private static final int SUBSCRIBE_TIMEOUT_MILLIS = Integer.getInteger("it.subscribeTimeoutMillis", 5000);

    @Test
    void welcomeAnnouncesEveryLimit() throws Exception {
        try (QuoteClient client = connect()) {
            JsonObject limits = client.expect("welcome").getJsonObject("limits");
            assertEquals(PER_ADDRESS, limits.getInt("maxSessionsPerAddress"));
            assertEquals(PING_MILLIS, limits.getInt("pingMs"));
            assertEquals(PONG_TIMEOUT_MILLIS, limits.getInt("pongTimeoutMs"));
            assertEquals(SUBSCRIBE_TIMEOUT_MILLIS, limits.getInt("subscribeTimeoutMs"));
            for (String key : List.of("maxSymbols", "maxMessageBytes", "maxMessagesPerSecond", "maxMessageBurst",
                    "sendTimeoutMs")) {
                assertTrue(limits.getInt(key) > 0, key);
            }
            // The reply depth follows the burst (two replies per request of a full burst), and the
            // bytes they may hold, the symbol limit.
            assertEquals(2 * limits.getInt("maxMessageBurst"), limits.getInt("maxPendingReplies"));
            assertEquals(64 * 1024 + 2L * limits.getInt("maxSymbols") * 320, limits.getJsonNumber("maxPendingReplyBytes").longValue());
        }
    }

    @Test
    void connectionsOverTheLimitOfOneAddressAreRefusedWith429() throws Exception {
        List<RawWebSocket> held = new ArrayList<>();
        InetAddress address = InetAddress.getByName("127.0.0.2");
        try {
            for (int i = 0; i < PER_ADDRESS; i++) {
                RawWebSocket socket = open(address);
                held.add(socket);
                assertTrue(socket.upgraded(), "connection " + i + ": " + socket.statusLine());
            }
            try (RawWebSocket refused = open(address)) {
                assertTrue(refused.statusLine().startsWith("HTTP/1.1 429"), refused.statusLine());
                assertNotNull(refused.header("Retry-After"), refused.head());
            }
            // Another address is not affected.
            try (QuoteClient other = connect()) {
                other.expect("welcome");
            }
            // A closed connection gives its place back.
            held.remove(0).close();
            assertTrue(Eventually.within(Duration.ofSeconds(10), () -> {
                RawWebSocket again = open(address);
                held.add(again);
                return again.upgraded();
            }), "a place came free after a close");
        } finally {
            RawWebSocket.closeAll(held);
        }
    }

    /**
     * Every request to the stream's path counts against the limits, whatever its {@code Upgrade}
     * header says: handshakes that Tomcat or Undertow upgrade although the header is not exactly
     * {@code websocket} used to pass the filter uncounted, and a session whose handshake was not
     * counted must not be served (issue #19).
     */
    @Test
    void theLimitOfOneAddressHoldsWhateverTheHandshakeHeadersSay() throws Exception {
        int variant = 0;
        for (String name : SneakyHandshakes.all().keySet()) {
            InetAddress from = InetAddress.getByName("127.0.2." + (++variant));
            List<RawWebSocket> held = new ArrayList<>();
            try {
                int upgraded = 0;
                int refused = 0;
                for (int i = 0; i < PER_ADDRESS + 5; i++) {
                    RawWebSocket socket = RawWebSocket.handshake(direct(), SneakyHandshakes.all().get(name), 0, from);
                    held.add(socket);
                    if (socket.upgraded()) {
                        upgraded++;
                        RawWebSocket.Frame first = socket.readFrame();
                        assertNotNull(first, name + ": the connection ended before its first frame");
                        assertTrue(first.opcode() == 1 && first.text().contains("\"welcome\""),
                                () -> name + ": first frame " + first.opcode() + " " + first.text());
                    } else if (socket.statusLine().startsWith("HTTP/1.1 429")) {
                        refused++;
                    }
                }
                assertTrue(upgraded <= PER_ADDRESS, name + ": " + upgraded + " connections upgraded from one address");
                if (upgraded > 0) {
                    assertEquals(PER_ADDRESS + 5 - upgraded, refused, name + ": the others got 429");
                }
                if (name.equals("well-formed")) {
                    assertEquals(PER_ADDRESS, upgraded, name);
                }
                double sessions = metric("ticker_sessions");
                double admitted = metric("ticker_sessions_admitted");
                assertTrue(sessions <= admitted, name + ": " + sessions + " sessions, " + admitted + " admitted");
            } finally {
                RawWebSocket.closeAll(held);
            }
            assertTrue(Eventually.within(Duration.ofSeconds(10), () -> metric("ticker_sessions_admitted") == 0), name + ": places given back");
        }
    }

    /**
     * One address opening stalled clients again and again (each subscribes to everything, then
     * neither reads nor answers pings, nor ever closes) cannot hold more of the server's sockets
     * than its limit: a connection the server closes keeps its place until its socket is closed,
     * not merely until the close is decided (the server's sockets counted from the kernel's table).
     */
    @Test
    void stalledClientsOpenedAgainAndAgainHoldNoMoreSocketsThanTheLimit() throws Exception {
        String ip = "127.0.3.1";
        InetAddress from = InetAddress.getByName(ip);
        int port = stream().getPort();
        long closedBefore = closedByServer(4002) + closedByServer(4003);
        List<RawWebSocket> held = new ArrayList<>();
        int upgraded = 0;
        int worst = 0;
        StringBuilder timeline = new StringBuilder();
        long start = System.nanoTime();
        try {
            while (System.nanoTime() - start < Duration.ofSeconds(25).toNanos()) {
                for (int i = 0; i < 10; i++) {
                    RawWebSocket socket = RawWebSocket.open(direct(), null, 4096, List.of(), from);
                    if (socket.upgraded()) {
                        socket.sendText("{\"type\":\"subscribe\",\"symbols\":[\"*\"]}");
                        held.add(socket);
                        upgraded++;
                    } else {
                        assertTrue(socket.statusLine().startsWith("HTTP/1.1 429"), socket.statusLine());
                        socket.close();
                    }
                }
                Thread.sleep(100);
                int now = ServerSockets.heldFrom(ip, port);
                worst = Math.max(worst, now);
                timeline.append(String.format(" %.1fs:%d/%d", (System.nanoTime() - start) / 1e9, now, upgraded));
            }
            long closed = closedByServer(4002) + closedByServer(4003) - closedBefore;
            System.out.println("stalled clients from " + ip + " (seconds: sockets the server held/upgraded so far):" + timeline);
            assertTrue(closed >= PER_ADDRESS, "the server closed " + closed + " of the stalled clients");
            assertTrue(upgraded > PER_ADDRESS, "they were replaced: " + upgraded + " upgraded in all");
            assertTrue(worst <= PER_ADDRESS, "the server held up to " + worst + " sockets from one address"
                    + " (seconds: held/upgraded so far):" + timeline);
        } finally {
            RawWebSocket.closeAll(held);
        }
        // Their places come back once their sockets are surely closed (the other tests need them).
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (metric("ticker_sessions_admitted") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(250);
        }
        assertEquals(0.0, metric("ticker_sessions_admitted"), "places still held");
    }

    @Test
    void connectionsOverTheServersLimitAreRefusedWith503() throws Exception {
        List<RawWebSocket> held = new ArrayList<>();
        try {
            // Spread over addresses so that no one address meets its own limit first; other
            // tests' connections count too, so open until refused rather than counting.
            RawWebSocket refused = null;
            for (int i = 0; i < MAX_SESSIONS + 10 && refused == null; i++) {
                RawWebSocket socket = open(InetAddress.getByName("127.0.1." + (1 + i % 10)));
                held.add(socket);
                if (!socket.upgraded()) {
                    refused = socket;
                }
            }
            assertNotNull(refused, "no handshake was refused");
            assertTrue(refused.statusLine().startsWith("HTTP/1.1 503"), refused.statusLine());
            assertNotNull(refused.header("Retry-After"), refused.head());
            assertTrue(held.size() <= MAX_SESSIONS + 1, "refused only after " + (held.size() - 1) + " connections");
            RawWebSocket.closeAll(held);
            held.clear();
            // Places come back as the connections close.
            assertTrue(Eventually.within(Duration.ofSeconds(10), () -> {
                try (QuoteClient client = QuoteClient.connect(stream())) {
                    return client.expect("welcome") != null;
                } catch (Exception refusedStill) {
                    return false;
                }
            }), "the server took connections again");
        } finally {
            RawWebSocket.closeAll(held);
        }
    }

    @Test
    void aConnectionThatSubscribesToNothingIsClosedWith1008() throws Exception {
        try (QuoteClient idle = connect(); QuoteClient busy = connect()) {
            idle.expect("welcome");
            busy.expect("welcome");
            busy.send("{\"type\":\"subscribe\",\"symbols\":[\"*\"],\"snapshot\":false}");
            busy.awaitType("subscribed");
            long start = System.nanoTime();
            CloseReason reason = idle.awaitClose(Duration.ofMillis(SUBSCRIBE_TIMEOUT_MILLIS + 5000));
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertEquals(CloseReason.CloseCodes.VIOLATED_POLICY.getCode(), reason.getCloseCode().getCode());
            assertTrue(waited > SUBSCRIBE_TIMEOUT_MILLIS - 1000, "closed after " + waited + " ms");
            assertFalse(busy.isClosed(), "the subscribed connection stays");
            busy.send("{\"type\":\"ping\",\"id\":\"still\"}");
            assertEquals("still", busy.awaitType("pong").getString("id"));
        }
    }

    @Test
    void aConnectionThatAnswersNoPingIsClosedWith4003() throws Exception {
        try (RawWebSocket mute = open(null); QuoteClient answering = connect()) {
            assertTrue(mute.upgraded(), mute.statusLine());
            mute.sendText("{\"type\":\"subscribe\",\"symbols\":[\"*\"],\"snapshot\":false}");
            answering.expect("welcome");
            answering.send("{\"type\":\"subscribe\",\"symbols\":[\"*\"],\"snapshot\":false}");
            mute.readTimeout(Duration.ofMillis(PING_MILLIS + PONG_TIMEOUT_MILLIS + 10_000));
            boolean pinged = false;
            RawWebSocket.Frame close = null;
            for (RawWebSocket.Frame frame = mute.readFrame(); frame != null; frame = mute.readFrame()) {
                pinged |= frame.opcode() == 9;
                if (frame.opcode() == 8) {
                    close = frame;
                    break;
                }
            }
            assertTrue(pinged, "the server pinged");
            assertNotNull(close, "the server closed the connection");
            assertEquals(4003, close.closeCode());
            // The client library answers pings by itself: that connection lives on.
            assertFalse(answering.isClosed());
            answering.send("{\"type\":\"ping\",\"id\":\"alive\"}");
            assertEquals("alive", answering.awaitType("pong").getString("id"));
        }
    }

    private RawWebSocket open(InetAddress from) throws Exception {
        return RawWebSocket.open(direct(), null, 0, List.of(), from);
    }

    /** The stream by address, not by name: the local addresses the tests bind are IPv4 loopback. */
    private URI direct() {
        return URI.create(stream().toString().replaceFirst("//[^/:]+", "//127.0.0.1"));
    }
}
