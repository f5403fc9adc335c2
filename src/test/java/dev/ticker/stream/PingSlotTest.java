package dev.ticker.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ticker.market.TimeSource;
import dev.ticker.market.Universe;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A ping takes a connection's send slot only while it is written, not while it waits for a pinger
 * thread. On Tomcat a ping is a blocking write, so two clients whose sockets are full can hold both
 * pinger threads for the container's blocking-send timeout; every other connection's ping then
 * waits in the pinger queue, and if that wait held its send slot, its ticks and heartbeats would
 * stop and it would be closed as a slow consumer (4002) for the others' fault.
 *
 * <p>The sessions here are stand-ins that record what the hub sends (the container's behaviour
 * under test in the ITs; here what matters is which thread waits for what).
 */
class PingSlotTest {

    private QuoteHub hub;
    private final CountDownLatch unblock = new CountDownLatch(1);

    @AfterEach
    void stop() {
        unblock.countDown();
        if (hub != null) {
            hub.shutdown(1000);
        }
    }

    @Test
    void aPingWaitingForAPingerThreadHoldsNoOtherSendUp() throws Exception {
        // Heartbeats every 400 ms, pings every 400 ms, 1 s send timeout.
        StreamConfig config = new StreamConfig(50, 400, 200, 4096, 20, 1000, false, 20, 60_000, 400, 400, 100, 100);
        hub = new QuoteHub(new QuoteBoard(Universe.standard(5, 1)), config, TimeSource.SYSTEM);
        hub.start();
        // Two clients whose pings never finish writing (their sockets are full): both pinger threads stuck.
        StubSession slow1 = new StubSession("slow1", true);
        StubSession slow2 = new StubSession("slow2", true);
        StubSession healthy = new StubSession("healthy", false);
        for (StubSession session : new StubSession[] {slow1, slow2, healthy}) {
            session.connection = hub.open(session.proxy);
            hub.handle(session.connection, new dev.ticker.stream.protocol.Subscribe(null, java.util.List.of("AAPL"), false));
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while ((slow1.pings.get() == 0 || slow2.pings.get() == 0) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(slow1.pings.get() > 0 && slow2.pings.get() > 0, "both pinger threads are stuck in a ping");
        // Meanwhile the healthy client's pings wait for a thread: its heartbeats must keep coming,
        // and it must not be taken for a slow consumer.
        int before = healthy.frames.get();
        Thread.sleep(3000);
        int heartbeats = healthy.frames.get() - before;
        assertTrue(heartbeats >= 5, "frames to the healthy client in 3 s: " + heartbeats);
        assertEquals(null, healthy.closed.get(), "the healthy client was closed");
        assertFalse(healthy.connection.isClosing());
        // The slow ones hold their slot for their ping's write, and are closed when it stays stuck.
        assertEquals(4002, slow1.closed.get().getCloseCode().getCode());
        assertEquals(4002, slow2.closed.get().getCloseCode().getCode());
    }

    /**
     * A session whose async sends complete at once, and whose client answers each ping at once,
     * unless {@code pingsBlock}: then its pings block until the test ends.
     */
    private final class StubSession {
        final String id;
        final boolean pingsBlock;
        final AtomicInteger frames = new AtomicInteger();
        final AtomicInteger pings = new AtomicInteger();
        final AtomicReference<CloseReason> closed = new AtomicReference<>();
        final Map<String, Object> properties = new HashMap<>();
        final Session proxy;
        Connection connection;

        StubSession(String id, boolean pingsBlock) {
            this.id = id;
            this.pingsBlock = pingsBlock;
            properties.put(Admission.TICKET_PROPERTY, hub.admission().admit("10.0.0.1", TimeSource.SYSTEM.monotonicMillis()).ticket().id());
            RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {RemoteEndpoint.Async.class}, (self, method, args) -> {
                        switch (method.getName()) {
                            case "sendObject" -> {
                                frames.incrementAndGet();
                                ((SendHandler) args[1]).onResult(new SendResult());
                            }
                            case "sendPing" -> {
                                pings.incrementAndGet();
                                if (pingsBlock) {
                                    unblock.await();
                                } else {
                                    hub.pong(connection, ((ByteBuffer) args[0]).duplicate());     // the client answers
                                }
                            }
                            default -> throw new UnsupportedOperationException(method.getName());
                        }
                        return null;
                    });
            this.proxy = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                    (self, method, args) -> switch (method.getName()) {
                        case "getUserProperties" -> properties;
                        case "getId" -> id;
                        case "getAsyncRemote" -> remote;
                        case "close" -> {
                            closed.compareAndSet(null, args == null ? null : (CloseReason) args[0]);
                            yield null;
                        }
                        case "isOpen" -> closed.get() == null;
                        case "setMaxTextMessageBufferSize", "setMaxBinaryMessageBufferSize", "setMaxIdleTimeout" -> null;
                        case "hashCode" -> System.identityHashCode(self);
                        case "equals" -> self == args[0];
                        case "toString" -> "stub session " + id;
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }
}
