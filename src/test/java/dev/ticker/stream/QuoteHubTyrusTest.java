package dev.ticker.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ticker.it.QuoteClient;
import dev.ticker.it.RawWebSocket;
import dev.ticker.market.Market;
import dev.ticker.market.MarketConfig;
import dev.ticker.market.MarketFeed;
import dev.ticker.market.TimeSource;
import dev.ticker.market.Universe;
import dev.ticker.stream.websocket.QuoteEndpoint;
import dev.ticker.stream.websocket.QuoteEndpointConfigurator;
import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason.CloseCodes;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.glassfish.tyrus.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hub and endpoint on a standalone Tyrus server in this JVM: fast, and free to use settings
 * (thousands of symbols, millisecond flushes) that would slow the Arquillian suite down.
 */
class QuoteHubTyrusTest {

    private Server server;
    private QuoteHub hub;
    private MarketFeed feed;
    private Market market;
    private QuoteBoard board;
    private URI uri;
    private TimeSource time = TimeSource.SYSTEM;

    private void start(int symbols, double updatesPerSecond, StreamConfig config) throws Exception {
        start(symbols, updatesPerSecond, config, StreamMetrics.NONE, 1000, true);
    }

    private void start(int symbols, double updatesPerSecond, StreamConfig config, StreamMetrics metrics,
                       int maxSweepMillis, boolean withFeed) throws Exception {
        Universe universe = Universe.standard(symbols, 1);
        market = new Market(universe, new MarketConfig(symbols, 1, updatesPerSecond, 60), time.epochMillis());
        board = new QuoteBoard(universe);
        for (int i = 0; i < universe.size(); i++) {
            board.publish(market.current(i));
        }
        hub = new QuoteHub(board, config, time, metrics, maxSweepMillis, "");
        hub.start();
        HubEndpoints.hub = hub;
        if (withFeed) {
            feed = new MarketFeed(market, hub::publish, time);
            feed.start();
        }
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        // No servlet filter here: each test client brings a ticket of its own, as the filter would give it.
        dev.ticker.it.HandshakeRecorder.extraHeaders = () -> Map.of(QuoteEndpointConfigurator.TICKET_HEADER, ticket());
        server = new Server("localhost", port, "/ticker", Map.of(), HubEndpoints.class);
        server.start();
        uri = URI.create("ws://localhost:" + port + "/ticker" + QuoteEndpoint.PATH);
    }

    /** A ticket from the hub's admission, as the admission filter takes one for each handshake. */
    private String ticket() {
        return hub.admission().admit("127.0.0.1", TimeSource.SYSTEM.monotonicMillis()).ticket().id();
    }

    private String ticketHeader() {
        return QuoteEndpointConfigurator.TICKET_HEADER + ": " + ticket();
    }

    @AfterEach
    void stop() {
        dev.ticker.it.HandshakeRecorder.extraHeaders = null;
        if (feed != null) {
            feed.close();
        }
        if (hub != null) {
            hub.shutdown(2000);
            HubEndpoints.hub = null;
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void shutdownClosesEverySessionWith1001() throws Exception {
        start(30, 4, StreamConfig.defaults());
        try (QuoteClient one = QuoteClient.connect(uri); QuoteClient two = QuoteClient.connect(uri)) {
            one.expect("welcome");
            two.expect("welcome");
            two.send("{\"type\":\"subscribe\",\"symbols\":[\"*\"]}");
            two.awaitType("snapshot");
            assertEquals(2, hub.sessions());
            hub.shutdown(5000);
            assertEquals(CloseCodes.GOING_AWAY, one.awaitClose().getCloseCode());
            assertEquals(CloseCodes.GOING_AWAY, two.awaitClose().getCloseCode());
            assertEquals(0, hub.sessions());
            assertEquals(Map.of(1001, 2L), hub.closesByCode());
        }
    }

    @Test
    void aSessionWithoutAValidTicketIsClosedWith1008AndNeverServed() throws Exception {
        start(30, 4, StreamConfig.defaults());
        String reused = ticket();
        try (RawWebSocket first = RawWebSocket.open(uri, null, 0, List.of(QuoteEndpointConfigurator.TICKET_HEADER + ": " + reused))) {
            assertEquals("welcome", type(first.readFrame()));
            List<List<String>> refused = List.of(
                    List.of(),                                                               // no ticket
                    List.of(QuoteEndpointConfigurator.TICKET_HEADER + ": 1"),                // a guess
                    List.of(QuoteEndpointConfigurator.TICKET_HEADER + ": " + reused),        // one already used
                    List.of(QuoteEndpointConfigurator.TICKET_HEADER + ": " + "0".repeat(32)));
            for (List<String> headers : refused) {
                try (RawWebSocket socket = RawWebSocket.open(uri, null, 0, headers)) {
                    assertTrue(socket.upgraded(), socket.statusLine());
                    RawWebSocket.Frame frame = socket.readFrame();
                    assertEquals(8, frame.opcode(), () -> headers + ": served " + frame.text());
                    assertEquals(1008, frame.closeCode(), headers::toString);
                }
            }
        }
        assertEquals(Map.of(1008, 4L), hub.closesByCode());
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while ((hub.sessions() > 0 || hub.admission().total() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, hub.sessions());
        assertEquals(0, hub.admission().total(), "the used ticket's place is given back");
    }

    private static String type(RawWebSocket.Frame frame) {
        assertEquals(1, frame.opcode(), () -> "not a text frame: " + frame.opcode());
        return parse(frame.text()).getString("type");
    }

    /**
     * Every interval and timeout runs on the monotonic clock: a wall clock set an hour ahead closes
     * nobody (no pong, subscribe or send timeout fires), and one set back silences nothing
     * (heartbeats and pings go on); frames are stamped with the wall clock as it now reads.
     */
    @Test
    void aWallClockJumpClosesNobodyAndSilencesNothing() throws Exception {
        dev.ticker.market.JumpingClock clock = new dev.ticker.market.JumpingClock();
        time = clock;
        java.util.concurrent.atomic.AtomicLong pongs = new java.util.concurrent.atomic.AtomicLong();
        StreamMetrics counting = new StreamMetrics() {
            @Override public void frameSent(dev.ticker.stream.protocol.Event event) { }
            @Override public void sendCompleted(long nanos, boolean ok) { }
            @Override public void pongRead(long roundTripMillis) {
                pongs.incrementAndGet();
            }
            @Override public void flushed(long conflated, long busy, long visited) { }
        };
        // Heartbeats every 400 ms (nothing trades: no feed), pings every 400 ms answered within 400 ms,
        // 1 s to subscribe and to send: an hour's jump would cross every one of them.
        start(30, 4, new StreamConfig(50, 400, 200, 4096, 20, 1000, false, 20, 1000, 400, 400, 10_000, 1000),
                counting, 1000, false);
        try (QuoteClient client = QuoteClient.connect(uri)) {
            client.expect("welcome");
            client.send("{\"type\":\"subscribe\",\"symbols\":[\"AAPL\"],\"snapshot\":false}");
            client.awaitType("subscribed");
            for (java.time.Duration jump : List.of(java.time.Duration.ofHours(1), java.time.Duration.ofHours(-2))) {
                clock.jump(jump);
                long pongsBefore = pongs.get();
                long start = System.nanoTime();
                int heartbeats = 0;
                while (System.nanoTime() - start < Duration.ofSeconds(3).toNanos()) {
                    JsonObject frame = client.next();
                    assertEquals("heartbeat", frame.getString("type"), frame::toString);
                    long ts = frame.getJsonNumber("ts").longValue();
                    assertTrue(Math.abs(ts - clock.epochMillis()) < 5_000, "stamped with the wall clock as it reads now: " + ts);
                    heartbeats++;
                }
                assertTrue(heartbeats >= 5, "after a jump of " + jump + ": " + heartbeats + " heartbeats in 3 s");
                assertTrue(pongs.get() - pongsBefore >= 3, "after a jump of " + jump + ": " + (pongs.get() - pongsBefore) + " pings answered in 3 s");
                assertEquals(Map.of(), hub.closesByCode(), "after a jump of " + jump);
            }
            assertEquals(List.of(), client.seqProblems());
        }
    }

    @Test
    void aClientThatStopsReadingIsClosedWith4002AndTheOthersKeepStreaming() throws Exception {
        // 2,000 symbols ticking 20 times a second and a flush every 5 ms fill any socket buffer fast.
        start(2000, 20, new StreamConfig(5, 10_000, 2000, 4096, 20, 500, false, 20, 30_000, 30_000, 10_000, 10_000, 100));
        try (QuoteClient reader = QuoteClient.connect(uri);
             RawWebSocket stalled = RawWebSocket.open(uri, null, 4096, List.of(ticketHeader()))) {
            assertTrue(stalled.statusLine().startsWith("HTTP/1.1 101"), stalled.statusLine());
            stalled.sendText("{\"type\":\"subscribe\",\"symbols\":[\"*\"]}");
            reader.expect("welcome");
            reader.send("{\"type\":\"subscribe\",\"symbols\":[\"AAPL\"]}");
            reader.awaitType("snapshot");

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (hub.closesByCode().getOrDefault(4002, 0L) == 0 && System.nanoTime() < deadline) {
                JsonObject frame = reader.next();     // keep reading meanwhile
                assertTrue(List.of("ticks", "heartbeat").contains(frame.getString("type")), frame::toString);
            }
            assertEquals(Map.of(4002, 1L), hub.closesByCode(), "the stalled client was closed as a slow consumer");

            // The reader never noticed: its ticks keep coming, in order, without gaps.
            for (int i = 0; i < 20; i++) {
                assertEquals(java.util.Set.of("AAPL"), dev.ticker.it.QuoteStreamSymbols.of(reader.awaitType("ticks")));
            }
            assertEquals(List.of(), reader.seqProblems());
            assertEquals(1, hub.sessions());
        }
    }

    /** Settings under which nothing is due for an hour: no heartbeats, pings or timeouts to visit for. */
    private static StreamConfig quiet(int maxSymbols) {
        int hour = 3_600_000;
        return new StreamConfig(50, hour, maxSymbols, 4096, 20, hour, false, 20, hour, hour, hour, 10_000, 1000);
    }

    /**
     * With a sweep an hour long, a connection is visited only when one of its symbols changes (or
     * it asked for attention): if the index ever missed one, its client would never get the last
     * quote of that symbol. 60 clients of 1 to 5 random symbols each, narrow and wide ones mixed
     * in (one subscribed to everything), the market ticking, then stopped: every client ends with
     * the board's last quote of every symbol it follows.
     */
    @Test
    void everyClientGetsTheLastQuoteOfEachOfItsSymbolsWithoutTheSweep() throws Exception {
        start(200, 400, quiet(200), StreamMetrics.NONE, 3_600_000, true);
        assertTrue(hub.sweepRounds() > 10_000, "the sweep is out of the picture: " + hub.sweepRounds());
        java.util.Random random = new java.util.Random(7);
        List<QuoteClient> clients = new java.util.ArrayList<>();
        List<java.util.Set<String>> follows = new java.util.ArrayList<>();
        try {
            for (int c = 0; c < 60; c++) {
                QuoteClient client = QuoteClient.connect(uri);
                client.expect("welcome");
                java.util.Set<String> symbols = new java.util.TreeSet<>();
                if (c == 0) {
                    symbols.addAll(board.universe().symbols());
                } else if (c == 1) {
                    symbols.addAll(board.universe().symbols().subList(0, FlushPlan.WIDE_ABOVE + 1));   // just wide
                } else {
                    for (int k = 1 + random.nextInt(5); k > 0; k--) {
                        symbols.add(board.universe().get(random.nextInt(200)).symbol());
                    }
                }
                client.send(jsonSubscribe(symbols));
                client.awaitType("subscribed");
                clients.add(client);
                follows.add(symbols);
            }
            // Some change their minds while the market runs: the index must follow.
            for (int c = 2; c < 12; c++) {
                String dropped = follows.get(c).iterator().next();
                String added = board.universe().get(random.nextInt(200)).symbol();
                clients.get(c).send("{\"type\":\"unsubscribe\",\"symbols\":[\"" + dropped + "\"]}");
                clients.get(c).awaitType("unsubscribed");
                clients.get(c).send(jsonSubscribe(java.util.Set.of(added)));
                clients.get(c).awaitType("subscribed");
                follows.get(c).remove(dropped);
                follows.get(c).add(added);
            }
            Thread.sleep(1500);
            feed.close();
            feed = null;
            for (int c = 0; c < clients.size(); c++) {
                QuoteClient client = clients.get(c);
                for (String symbol : follows.get(c)) {
                    jakarta.json.JsonObject last = parse(board.latest(board.universe().indexOf(symbol)).quote().json());
                    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                    while (!last.equals(client.lastQuote(symbol)) && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    assertEquals(last, client.lastQuote(symbol), "client " + c + ", " + symbol);
                }
                assertEquals(List.of(), client.seqProblems(), "client " + c);
            }
        } finally {
            for (QuoteClient client : clients) {
                client.close();
            }
        }
    }

    /**
     * The flush visits a connection when one of its symbols changed, plus a slice of the others
     * (the sweep: here a twentieth each flush, so all of them once a second), not all of them
     * every flush: 100 connections of one symbol each, and one symbol changing.
     */
    @Test
    void aFlushVisitsTheSubscribersOfWhatChangedAndASliceOfTheRest() throws Exception {
        java.util.concurrent.ConcurrentLinkedQueue<Long> visits = new java.util.concurrent.ConcurrentLinkedQueue<>();
        StreamMetrics recording = new StreamMetrics() {
            @Override public void frameSent(dev.ticker.stream.protocol.Event event) { }
            @Override public void sendCompleted(long nanos, boolean ok) { }
            @Override public void pongRead(long roundTripMillis) { }
            @Override public void flushed(long conflated, long busy, long visited) {
                visits.add(visited);
            }
        };
        // Pings once an hour (the first at a random point of it: rarely within this test).
        int hour = 3_600_000;
        start(100, 1, new StreamConfig(50, 10_000, 200, 4096, 20, 10_000, false, 20, 30_000, hour, hour, 10_000, 1000),
                recording, 1000, false);
        assertEquals(20, hub.sweepRounds());
        List<QuoteClient> clients = new java.util.ArrayList<>();
        try {
            for (int c = 0; c < 100; c++) {
                QuoteClient client = QuoteClient.connect(uri);
                client.expect("welcome");
                client.send(jsonSubscribe(java.util.Set.of(board.universe().get(c).symbol())));
                client.awaitType("subscribed");
                clients.add(client);
            }
            // Two flushes on, the subscriptions' own visits are done.
            int flushes = visits.size();
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (visits.size() < flushes + 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            visits.clear();
            for (int i = 0; i < 10; i++) {
                hub.publish(market.current(7));
                jakarta.json.JsonObject ticks = clients.get(7).awaitType("ticks");
                assertEquals(java.util.Set.of(board.universe().get(7).symbol()), dev.ticker.it.QuoteStreamSymbols.of(ticks));
            }
            // A flush reports its visits after its sends: the last one's report may still be coming.
            long reported = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (visits.size() < 10 && System.nanoTime() < reported) {
                Thread.sleep(10);
            }
            List<Long> seen = List.copyOf(visits);
            assertTrue(seen.size() >= 10, "flushes seen: " + seen.size());
            // Per flush: 5 of the sweep, the one subscriber of the changed symbol, and the one left
            // behind by the last flush or pinged, rarely; 100 if the index did nothing.
            assertTrue(seen.stream().allMatch(v -> v <= 8), "visits per flush: " + seen);
            assertTrue(seen.stream().mapToLong(Long::longValue).sum() <= 7L * seen.size(), "visits per flush: " + seen);
        } finally {
            for (QuoteClient client : clients) {
                client.close();
            }
        }
    }

    private static String jsonSubscribe(java.util.Set<String> symbols) {
        return "{\"type\":\"subscribe\",\"symbols\":[" + String.join(",", symbols.stream().map(s -> "\"" + s + "\"").toList()) + "]}";
    }

    private static jakarta.json.JsonObject parse(String json) {
        try (jakarta.json.JsonReader reader = jakarta.json.Json.createReader(new java.io.StringReader(json))) {
            return reader.readObject();
        }
    }
}
