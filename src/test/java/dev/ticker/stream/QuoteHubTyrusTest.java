package dev.ticker.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ticker.it.QuoteClient;
import dev.ticker.it.RawWebSocket;
import dev.ticker.market.Market;
import dev.ticker.market.MarketConfig;
import dev.ticker.market.MarketFeed;
import dev.ticker.market.Universe;
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
    private URI uri;

    private void start(int symbols, double updatesPerSecond, StreamConfig config) throws Exception {
        Universe universe = Universe.standard(symbols, 1);
        Market market = new Market(universe, new MarketConfig(symbols, 1, updatesPerSecond, 60), System.currentTimeMillis());
        QuoteBoard board = new QuoteBoard(universe);
        for (int i = 0; i < universe.size(); i++) {
            board.publish(market.current(i));
        }
        hub = new QuoteHub(board, config, System::currentTimeMillis);
        hub.start();
        QuoteHub.install(hub);
        feed = new MarketFeed(market, hub::publish, System::currentTimeMillis);
        feed.start();
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        server = new Server("localhost", port, "/ticker", Map.of(), QuoteEndpoint.class);
        server.start();
        uri = URI.create("ws://localhost:" + port + "/ticker" + QuoteEndpoint.PATH);
    }

    @AfterEach
    void stop() {
        if (feed != null) {
            feed.close();
        }
        if (hub != null) {
            hub.shutdown(2000);
            QuoteHub.uninstall(hub);
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
    void aClientThatStopsReadingIsClosedWith4002AndTheOthersKeepStreaming() throws Exception {
        // 2,000 symbols ticking 20 times a second and a flush every 5 ms fill any socket buffer fast.
        start(2000, 20, new StreamConfig(5, 10_000, 2000, 4096, 20, 500, false, 20, 30_000, 30_000, 10_000, 10_000, 100));
        try (QuoteClient reader = QuoteClient.connect(uri);
             RawWebSocket stalled = RawWebSocket.open(uri, null, 4096)) {
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
}
