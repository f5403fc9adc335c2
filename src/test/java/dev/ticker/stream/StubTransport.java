package dev.ticker.stream;

import dev.ticker.market.TimeSource;
import dev.ticker.stream.protocol.Event;
import dev.ticker.stream.protocol.Subscribe;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A stand-in for a transport, for tests of which thread waits for what (the real transports are
 * tested in the ITs): its sends complete at once, and its client answers each ping at once,
 * unless its pings block: then each waits for {@code unblock}, recording whether its thread was
 * interrupted meanwhile.
 */
final class StubTransport implements Transport {

    final AtomicInteger frames = new AtomicInteger();
    final AtomicInteger pings = new AtomicInteger();
    final AtomicReference<Close> closed = new AtomicReference<>();
    final AtomicBoolean pingInterrupted = new AtomicBoolean();
    final List<Event> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** What {@link #servedWhileUndeploying()} answers: false as an event stream. */
    boolean servedWhileUndeploying = true;
    private final QuoteHub hub;
    private final String id;
    private final CountDownLatch unblock;
    private final CountDownLatch closeUnblock;
    private final String ticket;
    Connection connection;

    /** A transport admitted by {@code hub}; {@code unblock} null: pings do not block. */
    StubTransport(QuoteHub hub, String id, CountDownLatch unblock) {
        this(hub, id, unblock, null, true);
    }

    /**
     * A transport that {@code hub} admitted if {@code admitted}; whose pings block until
     * {@code unblock} (null: they do not); and whose close blocks until {@code closeUnblock}
     * (null: it does not), as a container's close may.
     */
    StubTransport(QuoteHub hub, String id, CountDownLatch unblock, CountDownLatch closeUnblock, boolean admitted) {
        this.hub = hub;
        this.id = id;
        this.unblock = unblock;
        this.closeUnblock = closeUnblock;
        this.ticket = admitted ? hub.admission().admit("10.0.0.1", TimeSource.SYSTEM.monotonicMillis()).ticket().id() : null;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void send(Event frame, Consumer<Throwable> done) {
        frames.incrementAndGet();
        sent.add(frame);
        done.accept(null);
    }

    @Override
    public boolean servedWhileUndeploying() {
        return servedWhileUndeploying;
    }

    @Override
    public boolean pings() {
        return true;
    }

    @Override
    public void ping(ByteBuffer payload) throws IOException {
        pings.incrementAndGet();
        if (unblock == null) {
            hub.pong(connection, payload.duplicate());     // the client answers
            return;
        }
        try {
            unblock.await();
        } catch (InterruptedException e) {
            pingInterrupted.set(true);
            throw new IOException("interrupted in a socket write", e);
        }
    }

    @Override
    public void close(Close close) {
        closed.compareAndSet(null, close);
        if (closeUnblock != null) {
            try {
                closeUnblock.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "stub transport " + id;
    }

    /** The code the hub closed this transport with, waiting up to 2 s for its closer thread; -1 if none. */
    int closedWith() {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (closed.get() == null && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        Close close = closed.get();
        return close == null ? -1 : close.code();
    }

    /** Opens this transport's connection on {@code hub}. */
    StubTransport open() {
        connection = hub.open(this, ticket);
        return this;
    }

    /** Opens this transport's connection on {@code hub} and subscribes it to {@code symbol}. */
    StubTransport open(QuoteHub hub, String symbol) {
        open();
        hub.handle(connection, new Subscribe(null, List.of(symbol), false));
        return this;
    }
}
