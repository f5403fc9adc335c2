package dev.ticker.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ticker.market.TimeSource;
import dev.ticker.market.Universe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A node that must let its clients go closes them a few at a time, and stops when told to. */
class ShedderTest {

    private QuoteHub hub;
    private final AtomicReference<Close> verdict = new AtomicReference<>();

    @BeforeEach
    void start() {
        StreamConfig config = new StreamConfig(50, 10_000, 200, 4096, 20, 10_000, false, 20, 60_000, 30_000, 10_000, 100, 100);
        hub = new QuoteHub(new QuoteBoard(Universe.standard(5, 1)), config, TimeSource.SYSTEM);
        hub.start();
        hub.shedWhen(verdict::get, 1000);
    }

    @AfterEach
    void stop() {
        hub.shutdown(1000);
    }

    @Test
    void connectionsAreClosedWithTheReasonSpreadOverTheGivenTime() throws Exception {
        List<StubTransport> clients = open(40);
        Thread.sleep(600);
        assertEquals(0, closed(clients, 1013), "nobody goes while the verdict is null");
        long start = System.nanoTime();
        verdict.set(new Close(CloseCodes.TRY_AGAIN_LATER, "lost the market"));
        Thread.sleep(400);
        int early = closed(clients, 1013);
        assertTrue(early > 0 && early < 40, "some but not all after 400 ms of 1000: " + early);
        while (closed(clients, 1013) < 40 && System.nanoTime() - start < 3_000_000_000L) {
            Thread.sleep(20);
        }
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(40, closed(clients, 1013), "all closed with 1013");
        assertTrue(tookMillis >= 700 && tookMillis < 1600, "spread over about a second: " + tookMillis + " ms");
    }

    @Test
    void sheddingStopsWhenTheVerdictClears() throws Exception {
        List<StubTransport> clients = open(40);
        verdict.set(new Close(CloseCodes.TRY_AGAIN_LATER, "lost the market"));
        Thread.sleep(300);
        verdict.set(null);
        Thread.sleep(100);
        int closedThen = closed(clients, 1013);
        Thread.sleep(600);
        assertEquals(closedThen, closed(clients, 1013), "no more closes once the node recovered");
        assertTrue(closedThen < 40, "the rest keep their connections: " + closedThen + " closed");
        assertEquals(40 - closedThen, hub.sessions());
    }

    private List<StubTransport> open(int count) {
        List<StubTransport> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            clients.add(new StubTransport(hub, "c" + i, null).open(hub, "AAPL"));
        }
        return clients;
    }

    private static int closed(List<StubTransport> clients, int code) {
        int count = 0;
        for (StubTransport client : clients) {
            Close reason = client.closed.get();        // now, without waiting
            if (reason != null && reason.code() == code) {
                count++;
            }
        }
        return count;
    }
}
