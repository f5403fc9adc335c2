package dev.ticker.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ticker.market.TimeSource;
import dev.ticker.market.Universe;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a write that blocks may and may not hold up. On Tomcat a ping is a blocking write, so two
 * clients whose sockets are full can hold both pinger threads for the container's blocking-send
 * timeout: a ping takes a connection's send slot only while it is written, not while it waits for
 * a pinger thread (if that wait held the slot, every other connection's ticks and heartbeats would
 * stop and it would be closed as a slow consumer, 4002, for the others' fault). And undeploy never
 * interrupts a thread that may be inside such a write.
 *
 * <p>The sessions here are {@link StubTransport stand-ins}.
 */
class BlockedWritesTest {

    private QuoteHub hub;
    private final CountDownLatch unblock = new CountDownLatch(1);

    @AfterEach
    void stop() {
        unblock.countDown();
        if (hub != null) {
            hub.shutdown(1000);
        }
    }

    /**
     * Undeploy closes every session with 1001 without interrupting the hub's threads: one may be
     * inside a socket write (a pinger in Tomcat's blocking ping), and an interrupt there closes the
     * channel under the container.
     */
    @Test
    void shutdownClosesEverySessionWithoutInterruptingAThreadInAWrite() throws Exception {
        startHub(10_000);
        StubTransport writing = new StubTransport(hub, "writing", unblock).open(hub, "AAPL");
        StubTransport other = new StubTransport(hub, "other", null).open(hub, "AAPL");
        awaitPingsOf(writing);
        Thread stopping = new Thread(() -> hub.shutdown(2000));
        stopping.start();
        Thread.sleep(500);
        unblock.countDown();                 // the write ends in its own time
        stopping.join(5000);
        assertFalse(writing.pingInterrupted.get(), "the thread in the write was interrupted");
        assertEquals(1001, writing.closed.get().code());
        assertEquals(1001, other.closed.get().code());
        hub = null;
    }

    @Test
    void aPingWaitingForAPingerThreadHoldsNoOtherSendUp() throws Exception {
        startHub(1000);
        // Two clients whose pings never finish writing (their sockets are full): both pinger threads stuck.
        StubTransport slow1 = new StubTransport(hub, "slow1", unblock).open(hub, "AAPL");
        StubTransport slow2 = new StubTransport(hub, "slow2", unblock).open(hub, "AAPL");
        StubTransport healthy = new StubTransport(hub, "healthy", null).open(hub, "AAPL");
        awaitPingsOf(slow1, slow2);            // both pinger threads are stuck in a ping
        // Meanwhile the healthy client's pings wait for a thread: its heartbeats must keep coming,
        // and it must not be taken for a slow consumer.
        int before = healthy.frames.get();
        Thread.sleep(3000);
        int heartbeats = healthy.frames.get() - before;
        assertTrue(heartbeats >= 5, "frames to the healthy client in 3 s: " + heartbeats);
        assertEquals(null, healthy.closed.get(), "the healthy client was closed");
        assertFalse(healthy.connection.isClosing());
        // The slow ones hold their slot for their ping's write, and are closed when it stays stuck.
        assertEquals(4002, slow1.closed.get().code());
        assertEquals(4002, slow2.closed.get().code());
    }

    /** A hub with heartbeats and pings every 400 ms and this send timeout. */
    private void startHub(int sendTimeoutMillis) {
        StreamConfig config = new StreamConfig(50, 400, 200, 4096, 20, sendTimeoutMillis, false, 20, 60_000, 400, 400, 100, 100);
        hub = new QuoteHub(new QuoteBoard(Universe.standard(5, 1)), config, TimeSource.SYSTEM);
        hub.start();
    }

    /** Waits up to 5 s until each of {@code sessions} has been pinged (their pings block: a pinger is inside each). */
    private static void awaitPingsOf(StubTransport... sessions) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (java.util.Arrays.stream(sessions).anyMatch(s -> s.pings.get() == 0) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        for (StubTransport session : sessions) {
            assertTrue(session.pings.get() > 0, "a pinger is inside a write to " + session);
        }
    }
}
