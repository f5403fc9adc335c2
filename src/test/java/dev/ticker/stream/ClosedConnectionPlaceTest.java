package dev.ticker.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ticker.market.TimeSource;
import dev.ticker.market.Universe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When a connection gives its admission place back: when the container reports it closed, if the
 * client closed it or it broke; {@link QuoteHub#CLOSED_SOCKET_LINGER_MILLIS} later if the server
 * closed it (the container may hold the socket meanwhile, waiting for the client's answer). The
 * sockets themselves are counted on every server in {@code LimitsIT}.
 */
class ClosedConnectionPlaceTest {

    private QuoteHub hub;

    @BeforeEach
    void start() {
        StreamConfig config = new StreamConfig(50, 10_000, 200, 4096, 20, 10_000, false, 20, 60_000, 30_000, 10_000, 100, 100);
        hub = new QuoteHub(new QuoteBoard(Universe.standard(5, 1)), config, TimeSource.SYSTEM);
        hub.start();
    }

    @AfterEach
    void stop() {
        hub.shutdown(1000);
    }

    @Test
    void aConnectionTheClientClosedGivesItsPlaceBackAtOnce() {
        StubSession client = new StubSession(hub, "client", null).open(hub, "AAPL");
        assertEquals(1, hub.admission().total());
        hub.closed(client.connection);                 // @OnClose, the client having closed
        assertEquals(0, hub.admission().total());
    }

    @Test
    void aConnectionTheServerClosedKeepsItsPlaceWhileTheContainerMayHoldItsSocket() {
        StubSession abusive = new StubSession(hub, "abusive", null).open(hub, "AAPL");
        hub.binary(abusive.connection);                // closed with 1003
        assertEquals(1003, abusive.closedWith());
        assertEquals(0, hub.sessions(), "no longer an open session");
        hub.closed(abusive.connection);                // @OnClose
        assertEquals(1, hub.admission().total(), "its place is still taken");
    }

    @Test
    void aConnectionThatBrokeGivesItsPlaceBackWhenClosed() {
        StubSession vanished = new StubSession(hub, "vanished", null).open(hub, "AAPL");
        hub.failed(vanished.connection, new java.io.IOException("connection reset"));
        hub.closed(vanished.connection);
        assertEquals(0, hub.admission().total());
    }
}
