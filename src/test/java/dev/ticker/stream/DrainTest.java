package dev.ticker.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ticker.market.TimeSource;
import dev.ticker.market.Universe;
import dev.ticker.stream.protocol.Notice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A drain's schedule, on the hub's monotonic clock as the test gives it: each connection is told
 * by a notice when it will be closed, the times spread evenly over the drain in random order, and
 * is closed with 1001 when its time has come, not before; on an undeploy, connections the
 * container may stop serving go first, at once; one that opened during the drain goes at its end.
 * DrainIT drains real servers.
 */
class DrainTest {

    private static final long NOW = 1_000;
    private static final long EPOCH = 1_763_712_000_000L;

    private final QuoteHub hub = new QuoteHub(new QuoteBoard(Universe.standard(5, 1)), StreamConfig.defaults(), TimeSource.SYSTEM);

    @AfterEach
    void stop() {
        hub.shutdown(1000);
    }

    @Test
    void eachConnectionIsToldItsTimeAndClosedThenNotBefore() {
        List<StubTransport> clients = open(10, true);
        Drain drain = new Drain(hub, connections(clients), NOW, EPOCH, 1_000, false);

        List<Long> offsets = new ArrayList<>();
        for (StubTransport client : clients) {
            Notice notice = notice(client);
            assertEquals(Notice.DRAINING, notice.reason());
            assertEquals(1_000, notice.drainMs());
            offsets.add(notice.closesAt() - EPOCH);
        }
        assertEquals(List.of(100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L, 900L, 1000L),
                offsets.stream().sorted().toList(), "spread evenly over the drain");

        for (long at : new long[] {0, 99, 100, 450, 999, 1000}) {
            drain.tick(NOW + at);
            for (int i = 0; i < clients.size(); i++) {
                boolean due = offsets.get(i) <= at;
                assertEquals(due, clients.get(i).connection.isClosing(),
                        "at +" + at + " ms, the client told +" + offsets.get(i) + " ms");
            }
        }
        for (StubTransport client : clients) {
            assertEquals(CloseCodes.GOING_AWAY, client.closedWith());
        }
        assertFalse(drain.over(NOW + 999));
        assertTrue(drain.over(NOW + 1000));
        assertEquals(EPOCH + 1000, drain.endsAtEpoch());
    }

    @Test
    void theOrderOfTheClosesIsShuffled() {
        List<StubTransport> clients = open(20, true);
        new Drain(hub, connections(clients), NOW, EPOCH, 2_000, false);
        List<Long> inOpeningOrder = clients.stream().map(client -> notice(client).closesAt()).toList();
        // Sorted by chance once in 20! drains.
        assertNotEquals(inOpeningOrder.stream().sorted().toList(), inOpeningOrder);
    }

    @Test
    void onAnUndeployConnectionsTheContainerMayStopServingCloseFirstAndAtOnce() {
        List<StubTransport> streams = open(3, false);
        List<StubTransport> sockets = open(3, true);
        List<StubTransport> all = new ArrayList<>(sockets);
        all.addAll(streams);
        Drain drain = new Drain(hub, connections(all), NOW, EPOCH, 900, true);

        for (StubTransport stream : streams) {
            assertEquals(EPOCH, notice(stream).closesAt(), "told it closes now");
        }
        assertEquals(List.of(EPOCH + 300, EPOCH + 600, EPOCH + 900),
                sockets.stream().map(socket -> notice(socket).closesAt()).sorted().toList(), "the rest spread");
        drain.tick(NOW);
        for (StubTransport stream : streams) {
            assertTrue(stream.connection.isClosing());
        }
        for (StubTransport socket : sockets) {
            assertFalse(socket.connection.isClosing());
        }
    }

    @Test
    void aDrainRequestSpreadsEveryConnectionWhateverItsTransport() {
        List<StubTransport> streams = open(2, false);
        new Drain(hub, connections(streams), NOW, EPOCH, 1_000, false);
        assertEquals(List.of(EPOCH + 500, EPOCH + 1000), streams.stream().map(s -> notice(s).closesAt()).sorted().toList());
    }

    @Test
    void aConnectionThatOpenedDuringTheDrainIsClosedAtItsEnd() {
        List<StubTransport> clients = open(2, true);
        Drain drain = new Drain(hub, connections(clients), NOW, EPOCH, 1_000, false);
        StubTransport late = open(1, true).get(0);
        drain.tick(NOW + 999);
        assertFalse(late.connection.isClosing());
        assertTrue(late.sent.stream().noneMatch(Notice.class::isInstance), "no notice for it");
        drain.tick(NOW + 1000);
        assertEquals(CloseCodes.GOING_AWAY, late.closedWith());
    }

    private List<StubTransport> open(int count, boolean servedWhileUndeploying) {
        List<StubTransport> clients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StubTransport client = new StubTransport(hub, "c" + i, null);
            client.servedWhileUndeploying = servedWhileUndeploying;
            clients.add(client.open());
        }
        return clients;
    }

    private static List<Connection> connections(List<StubTransport> clients) {
        return clients.stream().map(client -> client.connection).toList();
    }

    private static Notice notice(StubTransport client) {
        return client.sent.stream().filter(Notice.class::isInstance).map(Notice.class::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no notice sent to " + client.id()));
    }
}
