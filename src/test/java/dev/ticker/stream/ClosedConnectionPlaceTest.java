package dev.ticker.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ticker.market.TimeSource;
import dev.ticker.market.Universe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When a connection gives its admission place back: when the container reports it closed, if the
 * client closed it or it broke; {@link Closer#CLOSED_SOCKET_LINGER_MILLIS} later if the server
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
        StubTransport client = new StubTransport(hub, "client", null).open(hub, "AAPL");
        assertEquals(1, hub.admission().total());
        hub.closed(client.connection);                 // @OnClose, the client having closed
        assertEquals(0, hub.admission().total());
    }

    @Test
    void aConnectionTheServerClosedKeepsItsPlaceWhileTheContainerMayHoldItsSocket() {
        StubTransport abusive = new StubTransport(hub, "abusive", null).open(hub, "AAPL");
        hub.close(abusive.connection, new Close(CloseCodes.CANNOT_ACCEPT, "binary"));
        assertEquals(1003, abusive.closedWith());
        assertEquals(0, hub.sessions(), "no longer an open session");
        hub.closed(abusive.connection);                // @OnClose
        assertEquals(1, hub.admission().total(), "its place is still taken");
    }

    /**
     * Closes wait in a queue for two closer threads, and a container's close may block: should the
     * queue ever be full, the close is made on the thread that decided it, never dropped (a
     * dropped close left the socket open, uncounted, for good). Here both closers are stuck and
     * more sessions are refused (no ticket: 1008) than their queue holds.
     */
    @Test
    void aCloseIsNeverDroppedWhenTheCloseQueueIsFull() throws Exception {
        java.util.concurrent.CountDownLatch stuck = new java.util.concurrent.CountDownLatch(1);
        int queue = 100 + Closer.MAX_PENDING_CLOSES;       // maxSessions + the margin
        java.util.List<StubTransport> refused = new java.util.ArrayList<>();
        java.util.List<Thread> overflow = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 2 + queue + 10; i++) {
                StubTransport session = new StubTransport(hub, "refused" + i, null, stuck, false);
                refused.add(session);
                if (i < 2 + queue) {
                    session.open();               // the first two get the closers stuck
                    if (i < 2) {
                        session.closedWith();
                    }
                } else {
                    // The queue is full: these are closed on the thread that opened them, which the
                    // stuck close holds as well.
                    Thread thread = new Thread(() -> session.open());
                    thread.start();
                    overflow.add(thread);
                }
            }
        } finally {
            stuck.countDown();
        }
        for (Thread thread : overflow) {
            thread.join(5_000);
        }
        long unclosed = refused.stream().filter(s -> s.closedWith() != 1008).count();
        assertEquals(0, unclosed, "sessions never closed");
    }

    @Test
    void aConnectionThatBrokeGivesItsPlaceBackWhenClosed() {
        StubTransport vanished = new StubTransport(hub, "vanished", null).open(hub, "AAPL");
        hub.failed(vanished.connection, new java.io.IOException("connection reset"));
        hub.closed(vanished.connection);
        assertEquals(0, hub.admission().total());
    }
}
