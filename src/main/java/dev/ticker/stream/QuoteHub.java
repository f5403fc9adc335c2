package dev.ticker.stream;

import dev.ticker.history.BarBook;
import dev.ticker.market.Quote;
import dev.ticker.market.TimeSource;
import dev.ticker.stream.protocol.Build;
import dev.ticker.stream.protocol.Command;
import dev.ticker.stream.protocol.Instruments;
import dev.ticker.stream.protocol.Welcome;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Owns every connection of the quote stream, whichever {@link Transport} it came by, and wires the
 * parts that serve them: the {@link Connections} registry, {@link Requests}, the {@link Flusher}
 * (conflated ticks every {@code flushMillis}, heartbeats, timeouts), the {@link Pinger} and the
 * {@link Closer}. Transports call it when a connection opens, sends a request, answers a ping or
 * ends. The feed only ever touches the {@link QuoteBoard}, so no client, however slow, can hold
 * it up.
 */
public final class QuoteHub {

    /** The subprotocol of this version of the protocol. */
    public static final String PROTOCOL = "ticker.v1";
    /**
     * The same protocol with every server frame a binary message of its UTF-8 JSON, for clients
     * that ask for it: a cheaper frame for the server to write. Requests stay text.
     */
    public static final String BINARY_PROTOCOL = "ticker.v1.binary";

    private static final Logger LOG = Logger.getLogger(QuoteHub.class.getName());
    private static final long SHED_TICK_MILLIS = 250;
    // Fine enough that a drain of thousands over seconds closes a few at a time, not in lumps.
    private static final long DRAIN_TICK_MILLIS = 20;
    private static final long ADMISSION_SWEEP_MILLIS = 1000;
    /** Every connection is visited at least this often (heartbeats, pings and timeouts are checked then), or more often if a timeout is short. */
    private static final int MAX_SWEEP_MILLIS = 1000;
    private static final Close SHUTTING_DOWN = new Close(CloseCodes.GOING_AWAY, "server shutting down");

    private final QuoteBoard board;
    private final Instruments instruments;       // welcome's universe, encoded once
    private final String node;
    private final Build build;
    private final StreamConfig config;
    private final TimeSource time;
    private final StreamMetrics metrics;
    private final int sweepRounds;
    private final long heartbeatAfterMillis;
    private final Admission admission;
    private final HubThreads threads = new HubThreads();
    // The flush's thread, also the timer of the sheddings and of the delayed admission releases.
    private final ScheduledThreadPoolExecutor timer;
    private final Connections connections = new Connections();
    private final Closer closer;
    private final Pinger pinger;
    private final Requests requests;
    private final Flusher flusher;
    private volatile boolean stopped;
    private volatile Drain drain;

    public QuoteHub(QuoteBoard board, StreamConfig config, TimeSource time) {
        this(board, config, time, StreamMetrics.NONE);
    }

    /** {@code time}: every interval and timeout runs on its monotonic clock; frames are stamped with its wall clock. */
    public QuoteHub(QuoteBoard board, StreamConfig config, TimeSource time, StreamMetrics metrics) {
        this(board, config, time, metrics, "");
    }

    /** {@code node}: this node's name in a cluster, told to clients in {@code welcome}; empty when standalone. */
    public QuoteHub(QuoteBoard board, StreamConfig config, TimeSource time, StreamMetrics metrics, String node) {
        this(board, config, time, metrics, node, null);
    }

    /** {@code history}: the bars {@code history} requests are answered from; null: none kept (requests get an error). */
    public QuoteHub(QuoteBoard board, StreamConfig config, TimeSource time, StreamMetrics metrics, String node, BarBook history) {
        this(board, config, time, metrics, node, history, Build.UNKNOWN);
    }

    /** {@code build}: the WAR's version and commit, told to clients in {@code welcome}. */
    public QuoteHub(QuoteBoard board, StreamConfig config, TimeSource time, StreamMetrics metrics, String node, BarBook history,
                    Build build) {
        this(board, config, time, metrics, MAX_SWEEP_MILLIS, node, history, build);
    }

    /** {@code maxSweepMillis}: the longest a connection may go unvisited (tests make it long, to see what the index alone does). */
    QuoteHub(QuoteBoard board, StreamConfig config, TimeSource time, StreamMetrics metrics, int maxSweepMillis, String node) {
        this(board, config, time, metrics, maxSweepMillis, node, null, Build.UNKNOWN);
    }

    private QuoteHub(QuoteBoard board, StreamConfig config, TimeSource time, StreamMetrics metrics, int maxSweepMillis,
                     String node, BarBook history, Build build) {
        this.board = board;
        this.instruments = new Instruments(board.universe().instruments());
        this.node = node;
        this.build = build;
        this.metrics = metrics;
        this.config = config;
        this.time = time;
        this.timer = new ScheduledThreadPoolExecutor(1, threads.named("ticker-flush"));
        // On shutdown the pending releases of admission places do not matter any more.
        this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.admission = new Admission(config.maxSessions(), config.maxSessionsPerAddress());
        // A sweep takes at most a quarter of the shortest deadline it checks, so none is overshot by more.
        int shortest = Math.min(Math.min(config.heartbeatMillis(), config.pingMillis()),
                Math.min(config.pongTimeoutMillis(), Math.min(config.sendTimeoutMillis(), config.subscribeTimeoutMillis())));
        this.sweepRounds = Math.max(1, Math.min(maxSweepMillis, shortest / 4) / config.flushMillis());
        // A connection may go a whole sweep between visits: a heartbeat due within it goes out
        // early, so the server is never silent for longer than heartbeatMillis.
        this.heartbeatAfterMillis = Math.max(0, config.heartbeatMillis() - (long) sweepRounds * config.flushMillis());
        this.closer = new Closer(connections, admission, timer, threads, config.maxSessions());
        this.pinger = new Pinger(config, time, metrics, closer, threads);
        this.requests = new Requests(config, time, history, connections, closer);
        this.flusher = new Flusher(board, config, time, metrics, connections,
                new FlushPlan(board.universe().size(), sweepRounds, connections), pinger, closer, timer, threads);
    }

    public StreamConfig config() {
        return config;
    }

    public QuoteBoard board() {
        return board;
    }

    /** Symbols subscribed, summed over the open connections (for metrics: visits every connection). */
    public long subscriptions() {
        return connections.subscriptions();
    }

    /** The connection counts the transports' gates admit against. */
    public Admission admission() {
        return admission;
    }

    /**
     * Silence after which a visit sends a heartbeat: {@code heartbeatMillis} less the longest a
     * connection can go unvisited (one sweep), so one always goes out before heartbeatMillis pass.
     */
    long heartbeatAfterMillis() {
        return heartbeatAfterMillis;
    }

    /** Flushes it takes to visit every connection at least once. */
    int sweepRounds() {
        return sweepRounds;
    }

    /** Starts flushing. */
    public void start() {
        flusher.start();
        timer.scheduleWithFixedDelay(() -> {
            try {
                admission.expireUnclaimed(time.monotonicMillis());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "expiring unclaimed admission tickets failed", e);
            }
        }, ADMISSION_SWEEP_MILLIS, ADMISSION_SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Asks {@code verdict} a few times a second whether every connection must go, and why, and if
     * so closes them with that reason, spread over {@code spreadMillis} (see {@link Shedder}).
     * Handshakes are the caller's to refuse meanwhile.
     */
    public void shedWhen(Supplier<Close> verdict, long spreadMillis) {
        Shedder shedder = new Shedder(this, verdict, spreadMillis, SHED_TICK_MILLIS);
        timer.scheduleWithFixedDelay(() -> {
            try {
                shedder.tick();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "shedding connections failed", e);
            }
        }, SHED_TICK_MILLIS, SHED_TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts draining, once: every open connection gets a {@code notice}, then is closed with 1001
     * at the time the notice named, the closes spread over {@code drainMillis} ({@link Drain});
     * connections that open from now on are closed at once (the caller refuses handshakes).
     * Returns when the last will be closed (epoch ms); a second call returns the first drain's.
     */
    public synchronized long drain(long drainMillis) {
        return drain(drainMillis, false);
    }

    /**
     * As {@link #drain(long)}; {@code undeploying}: the app is being undeployed, so connections the
     * container may stop serving are closed at once ({@link Drain}).
     */
    public synchronized long drain(long drainMillis, boolean undeploying) {
        if (drain == null) {
            flusher.draining();
            Drain started = new Drain(this, List.copyOf(connections.open()), time.monotonicMillis(), time.epochMillis(),
                    drainMillis, undeploying);
            drain = started;
            LOG.info(() -> "draining " + sessions() + " connections over " + drainMillis + " ms");
            timer.scheduleWithFixedDelay(() -> {
                try {
                    started.tick(time.monotonicMillis());
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "closing drained connections failed", e);
                }
            }, 0, DRAIN_TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
        return drain.endsAtEpoch();
    }

    /** Whether a drain has begun (it never ends: a drained node is redeployed or restarted). */
    public boolean draining() {
        return drain != null;
    }

    /** Whether a drain has begun and every connection it knew of has had its close. */
    public boolean drained() {
        Drain started = drain;
        return started != null && started.over(time.monotonicMillis());
    }

    /** Open connections not yet closing, for the {@link Shedder}. */
    Collection<Connection> openConnections() {
        return connections.open();
    }

    /** The feed's listener: records the quote for the next flush. */
    public void publish(Quote quote) {
        board.publish(quote);
    }

    /** Open connections. */
    public int sessions() {
        return connections.count();
    }

    /** How many connections the server closed, by close code (the clients' own closes are not counted). */
    public Map<Integer, Long> closesByCode() {
        return closer.byCode();
    }

    /**
     * A connection opened on {@code transport}, which claims the admission ticket {@code ticketId}
     * its gate issued (a connection without a valid one did not pass the gate, or reuses a ticket,
     * and is closed with 1008). Registers it and sends its {@code welcome}.
     */
    public Connection open(Transport transport, Object ticketId) {
        long now = time.monotonicMillis();
        Admission.Ticket ticket = admission.claim(ticketId);
        Connection connection = new Connection(transport, time,
                new Outbox(board, config.maxSymbols(), config.maxPendingReplies(), config.maxPendingReplyBytes()),
                new RateLimiter(config.maxMessagesPerSecond(), config.maxMessageBurst(), now), ticket, now,
                // The first ping at a random point of the first interval: connections that opened
                // together (a deploy, a reconnect wave) are then not all pinged in the same flush.
                now + ThreadLocalRandom.current().nextLong(1, config.pingMillis() + 1L),
                heartbeatAfterMillis, metrics, pinger, closer);
        if (stopped) {
            closer.close(connection, SHUTTING_DOWN);
            return connection;
        }
        if (drain != null) {
            closer.close(connection, Drain.CLOSE);
            return connection;
        }
        if (ticket == null) {
            closer.close(connection, new Close(CloseCodes.VIOLATED_POLICY, "not admitted; connect again"));
            return connection;
        }
        // Queued before the flush thread can see the connection, so welcome is always frame 1, and
        // sent only once the connection is registered: a send that fails at once (a client that
        // reset right after its handshake) closes the connection, and that close must find it
        // registered, or the connection would be added after it was forgotten and stay forever.
        connection.welcome(new Welcome(0, 0, PROTOCOL, config.heartbeatMillis(), config.limits(),
                instruments, node, board.marketAt(time.epochMillis()), build));
        connections.add(connection);
        if (connection.isClosing()) {
            connections.forget(connection);      // closed (by the client, or a failure) before it was added
        } else {
            connection.pump(now, null);
        }
        return connection;
    }

    /** The client sent a request. */
    public void handle(Connection connection, Command command) {
        requests.handle(connection, command);
    }

    /** A pong arrived carrying {@code data} (see {@link Pinger#pong}). */
    public void pong(Connection connection, ByteBuffer data) {
        pinger.pong(connection, data);
    }

    /** The transport reports the connection closed, for whatever reason. */
    public void closed(Connection connection) {
        closer.closed(connection);
    }

    /** The transport failed: the connection is of no further use. */
    public void failed(Connection connection, Throwable error) {
        closer.failed(connection, error);
    }

    /** Ends a connection for {@code close}'s reason (a transport's own rule was broken: a binary frame). */
    public void close(Connection connection, Close close) {
        closer.close(connection, close);
    }

    /**
     * Whether flushes complete: false once the last one completed longer ago than
     * {@link #flushStalledAfterMillis()} (the flush thread is stuck, or every flush fails), and
     * after shutdown. {@code /health} reports DOWN then.
     */
    public boolean flushing() {
        return !stopped && flusher.flushing();
    }

    /** Milliseconds since the last flush completed (or since the hub started, before the first). */
    public long millisSinceFlush() {
        return flusher.millisSinceFlush();
    }

    /** How long without a completed flush counts as stalled: ten flushes, and at least 2 s (a GC pause is not a stall). */
    public long flushStalledAfterMillis() {
        return flusher.stalledAfterMillis();
    }

    /**
     * Stops flushing and closes every connection with 1001 (going away), waiting up to
     * {@code timeoutMillis} for the closes to go out.
     */
    public void shutdown(long timeoutMillis) {
        stopped = true;
        // shutdown, not shutdownNow: the flush or a pinger may be inside a socket write, and an
        // interrupt there closes the channel under the container (no close frame for that client).
        timer.shutdown();
        flusher.stop();
        pinger.stop();
        for (Connection connection : connections.open()) {
            closer.close(connection, SHUTTING_DOWN);
        }
        try {
            if (!closer.finish(timeoutMillis)) {
                LOG.warning("some connections did not close within " + timeoutMillis + " ms");
            }
            timer.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
            flusher.await(timeoutMillis);
            pinger.await(timeoutMillis);
            threads.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connections.clear();
    }
}
