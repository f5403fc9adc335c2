package dev.ticker.stream.sse;

import dev.ticker.stream.Close;
import dev.ticker.stream.CloseCodes;
import dev.ticker.stream.Connection;
import dev.ticker.stream.QuoteHub;
import dev.ticker.stream.Transport;
import dev.ticker.stream.protocol.Event;
import dev.ticker.stream.protocol.FrameBytes;
import jakarta.json.spi.JsonProvider;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A connection's frames as Server-Sent Events on one long HTTP response, written with Servlet
 * non-blocking I/O: a frame is handed to the container only when it reports the stream ready, and
 * its send completes when the container has taken it all ({@link WriteListener#onWritePossible}),
 * so a client that does not read holds a buffer, never a thread, until the hub's timeouts close
 * it. Each frame is one event whose {@code id} is its {@code seq}:
 * <pre>
 * id: 7
 * data: {"type":"ticks","seq":7,"ts":1763712000100,"data":[…]}
 * </pre>
 * A close is a last event, {@code event: close} with {@code {"code":1008,"reason":"…"}}, then the
 * end of the response; a ping, {@code event: ping} with {@code {"payload":"…"}}, answered by a
 * {@code POST} of the payload to the control URL's {@code /pong}.
 */
final class SseTransport implements Transport, WriteListener {

    private static final Logger LOG = Logger.getLogger(SseTransport.class.getName());
    private static final JsonProvider JSON = JsonProvider.provider();
    /** How long a close waits for its close event to be taken by the container, if it could not at once. */
    static final long CLOSE_EVENT_WAIT_MILLIS = 1_000;
    static final Close GOING_AWAY = new Close(CloseCodes.GOING_AWAY, "server going away; connect again");

    private final String id;
    private final AsyncContext async;
    private final ServletOutputStream out;
    private final QuoteHub hub;
    private final Runnable onEnd;
    private final Object lock = new Object();

    // Guarded by lock.
    private byte[] prefix;                  // written before the first event: retry and stream
    private byte[] unwritten;               // events waiting for the stream to be ready
    private boolean unflushed;              // written but not yet flushed
    private Consumer<Throwable> completion; // the send in flight, completed once the container took it all
    private boolean broken;                 // a write failed: the container ends the response itself
    private boolean ended;
    private boolean reported;               // the container said the response ended
    private Connection connection;          // null until the hub opened it
    // Nothing is written until the hub's open returned: the first event names the control URL,
    // and a client that posts to it at once must find the stream's connection there.
    private boolean attached;

    /**
     * {@code prefix}: the events that go out before the first frame; {@code onEnd}: runs once when
     * the response ends, whoever ends it.
     */
    SseTransport(String id, AsyncContext async, ServletOutputStream out, QuoteHub hub, byte[] prefix, Runnable onEnd) {
        this.id = id;
        this.async = async;
        this.out = out;
        this.hub = hub;
        this.prefix = prefix;
        this.onEnd = onEnd;
    }

    /** The hub's handle of this stream, once {@link QuoteHub#open} returned it. */
    void opened(Connection connection) {
        boolean gone;
        synchronized (lock) {
            this.connection = connection;
            attached = true;
            gone = reported;
        }
        if (gone) {
            if (connection != null) {
                hub.closed(connection);
            }
            return;
        }
        onWritePossible();                      // what the hub's open sent: the welcome
    }

    /** The hub's handle of this stream, or null while it is opening or after it ended. */
    Connection connection() {
        synchronized (lock) {
            return ended ? null : connection;
        }
    }

    @Override
    public String id() {
        return "sse-" + id.substring(0, 8);
    }

    @Override
    public void send(Event frame, Consumer<Throwable> done) {
        byte[] event = FrameBytes.eventStream(frame);
        Throwable failure;
        synchronized (lock) {
            if (ended || broken) {
                failure = new IOException("the stream has ended");
            } else if (completion != null) {
                failure = new IllegalStateException("a send is already in flight");
            } else {
                completion = done;
                append(event);
                try {
                    if (!progress()) {
                        return;                 // onWritePossible completes it
                    }
                    failure = null;
                } catch (IOException | RuntimeException e) {
                    failure = e;
                }
                completion = null;
            }
        }
        done.accept(failure);
    }

    /**
     * No: Tomcat times out every async request of an app it undeploys about a second after it
     * stops taking requests for it, long before a drain of 5 s is over ({@link #timedOut} still
     * sends the close event then). An undeploy closes event streams at once, after their notice.
     */
    @Override
    public boolean servedWhileUndeploying() {
        return false;
    }

    /**
     * Pings as an event outside the frames' sequence ({@code event: ping}, no id), which the client
     * answers by posting the payload to its control URL's {@code /pong}: as on a WebSocket, only a
     * client that reads its stream can answer, and one that does not is closed after the pong
     * timeout instead of filling the socket's buffers first.
     */
    @Override
    public boolean pings() {
        return true;
    }

    /**
     * Queues the ping event and writes it as far as the stream lets us without blocking; what is
     * left goes before the next frame, whose send then completes only after it.
     */
    @Override
    public void ping(ByteBuffer payload) throws IOException {
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        byte[] event = ("event: ping\ndata: {\"payload\":\"" + HexFormat.of().formatHex(bytes) + "\"}\n\n")
                .getBytes(StandardCharsets.UTF_8);
        synchronized (lock) {
            if (ended || broken) {
                throw new IOException("the stream has ended");
            }
            append(event);
            progress();
        }
    }

    /** Under the lock: queues {@code event} behind what is unwritten (a ping, or the first events). */
    private void append(byte[] event) {
        byte[] bytes = prefix == null ? event : concat(prefix, event);
        prefix = null;
        unwritten = unwritten == null ? bytes : concat(unwritten, bytes);
    }

    /**
     * Under the lock: writes what is unwritten and flushes it as far as the container lets us
     * without blocking. True when all of it is gone; false when the container will call
     * {@link #onWritePossible} to go on. A failure marks the stream broken.
     */
    private boolean progress() throws IOException {
        if (!attached) {
            return false;                       // opened() goes on
        }
        try {
            if (unwritten != null) {
                if (!out.isReady()) {
                    return false;
                }
                byte[] bytes = unwritten;
                unwritten = null;
                out.write(bytes);
                unflushed = true;
            }
            if (unflushed) {
                if (!out.isReady()) {
                    return false;
                }
                unflushed = false;
                out.flush();
            }
            return out.isReady();
        } catch (IOException | RuntimeException e) {
            broken = true;
            throw e;
        }
    }

    /** The container can take more: goes on writing, and completes the send in flight once all of it is gone. */
    @Override
    public void onWritePossible() {
        Consumer<Throwable> done;
        Throwable failure = null;
        synchronized (lock) {
            if (ended || broken) {
                return;
            }
            try {
                if (!progress()) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                failure = e;
            }
            lock.notifyAll();                   // a close waiting for its close event
            done = completion;
            completion = null;
        }
        if (done != null) {
            done.accept(failure);
        } else if (failure != null) {
            LOG.log(Level.FINE, "writing to " + id() + " failed", failure);
        }
    }

    /** Writing failed (the client went away). */
    @Override
    public void onError(Throwable error) {
        fail(error);
    }

    /** The container reports the response failed: ends it here, on the container's thread, then fails the send in flight. */
    void fail(Throwable error) {
        Consumer<Throwable> done;
        Connection open;
        synchronized (lock) {
            broken = true;
            done = completion;
            completion = null;
            open = connection;
        }
        end(true);
        if (done != null) {
            done.accept(error);
        } else if (open != null) {
            hub.failed(open, error);
        }
    }

    /**
     * Writes the close event if nothing else is being written (waiting up to
     * {@value #CLOSE_EVENT_WAIT_MILLIS} ms for the container to take it), then ends the response.
     * A client that does not read gets no close event, as on a WebSocket it would get no close
     * frame.
     */
    @Override
    public void close(Close close) {
        synchronized (lock) {
            if (ended) {
                return;
            }
            attached = true;                    // a close goes out even while the hub is opening it
            if (!broken && completion == null && unwritten == null && !unflushed) {
                String data = JSON.createObjectBuilder().add("code", close.code()).add("reason", close.reason()).build().toString();
                append(("event: close\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
                try {
                    long deadline = System.nanoTime() + CLOSE_EVENT_WAIT_MILLIS * 1_000_000L;
                    boolean written = progress();
                    while (!written && !ended && !broken && (unwritten != null || unflushed)) {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) {
                            break;
                        }
                        lock.wait(Math.max(1, left / 1_000_000L));
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.FINE, "close event to " + id() + " not written", e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        end(false);
    }

    /**
     * Ends the response (once), and tells the hub once the container reports it ended: a stream
     * the server closes keeps its admission place until then (and the hub's linger after), as the
     * container may hold the socket meanwhile, writing the end of a response its client does not
     * read. Completes the request unless a write failed and this is not the container's own
     * callback: then the container ends it itself (Tomcat and Undertow do, and log a complete from
     * another thread racing theirs).
     */
    private void end(boolean byContainer) {
        boolean first;
        Connection report = null;
        synchronized (lock) {
            first = !ended;
            if (first) {
                ended = true;
                lock.notifyAll();
                if (!broken || byContainer) {
                    try {
                        async.complete();
                    } catch (IllegalStateException alreadyCompleted) {
                        LOG.log(Level.FINE, "stream " + id() + " already complete", alreadyCompleted);
                    }
                }
            }
            if (byContainer && !reported) {
                reported = true;
                report = connection;            // null while opening: opened() tells the hub
            }
        }
        if (first) {
            onEnd.run();
        }
        if (report != null) {
            hub.closed(report);
        }
    }

    /** The container ended the response (completed, or the client went away). */
    void ended() {
        end(true);
    }

    /**
     * The container timed the response out (the app is going away): ends it here, on the
     * container's thread and before this returns, with the close event a server that goes away
     * sends, as the container fails a response still open afterwards without one. The hub counts
     * the close as its own.
     */
    void timedOut() {
        Connection open;
        synchronized (lock) {
            open = ended ? null : connection;
        }
        close(GOING_AWAY);
        if (open != null) {
            hub.close(open, GOING_AWAY);
        }
        end(true);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
