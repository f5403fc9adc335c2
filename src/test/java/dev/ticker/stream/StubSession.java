package dev.ticker.stream;

import dev.ticker.market.TimeSource;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stand-in for a container's session, for tests of which thread waits for what (the containers
 * themselves are tested in the ITs): its async sends complete at once, and its client answers each
 * ping at once, unless its pings block: then each waits for {@code unblock}, recording whether its
 * thread was interrupted meanwhile.
 */
final class StubSession {

    final AtomicInteger frames = new AtomicInteger();
    final AtomicInteger pings = new AtomicInteger();
    final AtomicReference<CloseReason> closed = new AtomicReference<>();
    final AtomicBoolean pingInterrupted = new AtomicBoolean();
    final Session session;
    final Map<String, Object> properties = new HashMap<>();
    Connection connection;

    /** A session admitted by {@code hub}; {@code unblock} null: pings do not block. */
    StubSession(QuoteHub hub, String id, CountDownLatch unblock) {
        this(hub, id, unblock, null, true);
    }

    /**
     * A session that {@code hub} admitted if {@code admitted}; whose pings block until
     * {@code unblock} (null: they do not); and whose close blocks until {@code closeUnblock}
     * (null: it does not), as a container's close may.
     */
    StubSession(QuoteHub hub, String id, CountDownLatch unblock, CountDownLatch closeUnblock, boolean admitted) {
        if (admitted) {
            properties.put(Admission.TICKET_PROPERTY,
                    hub.admission().admit("10.0.0.1", TimeSource.SYSTEM.monotonicMillis()).ticket().id());
        }
        RemoteEndpoint.Async remote = (RemoteEndpoint.Async) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RemoteEndpoint.Async.class}, (self, method, args) -> {
                    switch (method.getName()) {
                        case "sendObject" -> {
                            frames.incrementAndGet();
                            ((SendHandler) args[1]).onResult(new SendResult());
                        }
                        case "sendPing" -> {
                            pings.incrementAndGet();
                            if (unblock == null) {
                                hub.pong(connection, ((ByteBuffer) args[0]).duplicate());     // the client answers
                            } else {
                                try {
                                    unblock.await();
                                } catch (InterruptedException e) {
                                    pingInterrupted.set(true);
                                    throw new java.io.IOException("interrupted in a socket write", e);
                                }
                            }
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    }
                    return null;
                });
        this.session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
                (self, method, args) -> switch (method.getName()) {
                    case "getUserProperties" -> properties;
                    case "getId" -> id;
                    case "getAsyncRemote" -> remote;
                    case "close" -> {
                        closed.compareAndSet(null, args == null ? null : (CloseReason) args[0]);
                        if (closeUnblock != null) {
                            closeUnblock.await();
                        }
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

    /** The code the hub closed this session with, waiting up to 2 s for its closer thread; -1 if none. */
    int closedWith() {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (closed.get() == null && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        CloseReason reason = closed.get();
        return reason == null ? -1 : reason.getCloseCode().getCode();
    }

    /** Opens this session on {@code hub} and subscribes it to {@code symbol}. */
    StubSession open(QuoteHub hub, String symbol) {
        connection = hub.open(session);
        hub.handle(connection, new dev.ticker.stream.protocol.Subscribe(null, java.util.List.of(symbol), false));
        return this;
    }
}
