package dev.ticker.stream;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ends connections: each once, on a closer thread (a close may block on a client that does not
 * read, so it never runs on the flush thread), counted by code; and gives each one's admission
 * place back when its socket is really gone.
 */
final class Closer {

    private static final Logger LOG = Logger.getLogger(Closer.class.getName());
    static final int MAX_PENDING_CLOSES = 10_000;
    /**
     * How long a connection the server closed keeps its admission place after the transport
     * reports it closed: the container may still hold its socket meanwhile, waiting for the
     * client's close frame (Tomcat: SESSION_CLOSE_TIMEOUT, checked every 10 s; Undertow: two idle
     * timeouts). Without it, a client that never answers could have the server hold more sockets
     * than its address's limit by reconnecting as fast as it is closed.
     */
    static final long CLOSED_SOCKET_LINGER_MILLIS = 15_000;
    /** A connection the server closed gives its place back after this long even if the transport never reports it closed. */
    static final long MAX_CLOSING_MILLIS = 60_000;

    private final Connections connections;
    private final Admission admission;
    private final ScheduledExecutorService timer;
    private final ThreadPoolExecutor pool;
    private final Map<Integer, LongAdder> closes = new ConcurrentHashMap<>();

    /** {@code timer}: runs the delayed releases of admission places; on shutdown they do not matter any more. */
    Closer(Connections connections, Admission admission, ScheduledExecutorService timer, HubThreads threads, int maxSessions) {
        this.connections = connections;
        this.admission = admission;
        this.timer = timer;
        // Two threads, so one client that does not read does not hold up every other close; they
        // end when idle. Each connection is closed once, so the queue holds at most one entry per
        // connection.
        this.pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(maxSessions + MAX_PENDING_CLOSES), threads.named("ticker-close"));
        this.pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Closes a connection, once, on a closer thread; should their queue ever be full, on this one:
     * a close is never dropped (the socket would stay open, uncounted, for good).
     */
    void close(Connection connection, Close close) {
        if (!connection.markClosing()) {
            return;
        }
        closes.computeIfAbsent(close.code(), code -> new LongAdder()).increment();
        connections.forget(connection);
        if (connection.isBroken()) {
            // A send failed: the container has dropped the socket (and may never report the close).
            admission.release(connection.ticket());
        } else {
            // The place is given back once the transport reports the connection closed (closed(),
            // plus the linger); should it never report it (a close that hangs in the container), in
            // any case after this long.
            releaseLater(connection, MAX_CLOSING_MILLIS);
        }
        try {
            pool.execute(() -> closeNow(connection, close));
        } catch (RejectedExecutionException e) {
            LOG.warning("close queue full; closing connection " + connection.id() + " on this thread");
            closeNow(connection, close);
        }
    }

    private static void closeNow(Connection connection, Close close) {
        try {
            connection.transport().close(close);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "closing " + connection.id() + " failed", e);
        }
    }

    /** A send failed or the transport reported an error: the connection is of no further use. */
    void failed(Connection connection, Throwable error) {
        LOG.log(Level.FINE, "connection " + connection.id() + " failed", error);
        connection.markBroken();
        close(connection, new Close(CloseCodes.UNEXPECTED_CONDITION, "send failed"));
    }

    /** The transport reports the connection closed, for whatever reason. */
    void closed(Connection connection) {
        boolean byClient = connection.markClosing();
        connections.forget(connection);
        if (byClient || connection.isBroken()) {
            // The client closed it, or it broke under a send (the client vanished): the container
            // is done with the socket.
            admission.release(connection.ticket());
        } else {
            // We closed it: the container may keep the socket a while yet, waiting for the
            // client's answer to the close frame, and the address keeps its place until then.
            releaseLater(connection, CLOSED_SOCKET_LINGER_MILLIS);
        }
    }

    /** Gives {@code connection}'s admission place back in {@code delayMillis} (at once if the hub has stopped). */
    private void releaseLater(Connection connection, long delayMillis) {
        Admission.Ticket ticket = connection.ticket();
        if (ticket == null) {
            return;
        }
        try {
            timer.schedule(() -> admission.release(ticket), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            admission.release(ticket);
        }
    }

    /** How many connections the server closed, by close code (the clients' own closes are not counted). */
    Map<Integer, Long> byCode() {
        Map<Integer, Long> counts = new TreeMap<>();
        closes.forEach((code, count) -> counts.put(code, count.sum()));
        return counts;
    }

    /** Takes no more closes; returns false if those queued did not finish within {@code timeoutMillis}. */
    boolean finish(long timeoutMillis) throws InterruptedException {
        pool.shutdown();
        return pool.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
    }
}
