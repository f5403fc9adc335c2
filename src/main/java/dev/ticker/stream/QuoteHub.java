package dev.ticker.stream;

import dev.ticker.market.Quote;
import dev.ticker.market.TimeSource;
import dev.ticker.stream.protocol.Command;
import dev.ticker.stream.protocol.ErrorCode;
import dev.ticker.stream.protocol.ErrorMessage;
import dev.ticker.stream.protocol.Invalid;
import dev.ticker.stream.protocol.Ping;
import dev.ticker.stream.protocol.Pong;
import dev.ticker.stream.protocol.Subscribe;
import dev.ticker.stream.protocol.Unsubscribe;
import dev.ticker.stream.protocol.Welcome;
import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Owns every connection of the quote stream: answers requests, flushes conflated ticks every
 * {@code flushMillis} on one thread of its own, sends heartbeats, and closes slow, abusive and
 * (on shutdown) all connections. The feed only ever touches the {@link QuoteBoard}, so no client,
 * however slow, can hold it up.
 */
public final class QuoteHub {

    /** The subprotocol of this version of the protocol. */
    public static final String PROTOCOL = "ticker.v1";

    private static final Logger LOG = Logger.getLogger(QuoteHub.class.getName());
    static final int MAX_PENDING_CLOSES = 10_000;
    private static final int MAX_PENDING_PINGS = 10_000;
    /** How long a close frame the client does not answer keeps its connection, where the container lets us say. */
    static final int CLOSE_WAIT_MILLIS = 1_000;
    /**
     * How long a connection the server closed keeps its admission place after the container
     * reports it closed: the container may still hold its socket meanwhile, waiting for the
     * client's close frame (Tomcat: SESSION_CLOSE_TIMEOUT, checked every 10 s; Undertow: two idle
     * timeouts). Without it, a client that never answers could have the server hold more sockets
     * than its address's limit by reconnecting as fast as it is closed.
     */
    static final long CLOSED_SOCKET_LINGER_MILLIS = 15_000;
    /** A connection the server closed gives its place back after this long even if the container never reports it closed. */
    static final long MAX_CLOSING_MILLIS = 60_000;
    /** Below twice this many visits one thread makes them all: handing off costs more. */
    private static final int MIN_CONNECTIONS_PER_PART = 200;
    /**
     * A connection subscribed to more symbols than this is visited every flush instead of being
     * entered under each symbol in the {@link FlushIndex}: it has news nearly every round anyway.
     */
    static final int WIDE_ABOVE = 64;
    private static final long SHED_TICK_MILLIS = 250;
    /** Every connection is visited at least this often (heartbeats, pings and timeouts are checked then), or more often if a timeout is short. */
    private static final int MAX_SWEEP_MILLIS = 1000;

    private final QuoteBoard board;
    private final String node;
    private final StreamConfig config;
    private final TimeSource time;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    // Whom the flush visits (the flush thread's). It visits a connection when one of its symbols
    // changed, and each one at least every sweepRounds flushes; not all of them every flush.
    private final FlushIndex<Connection> index;
    // Connections the next flush must visit whatever changed, and whose place in the index it
    // updates: opened, closed, (un)subscribed, or left behind by the last flush (busy, pinged, sent
    // a reply before the ticks). A set, so at most one entry per connection: bounded.
    private final Set<Connection> attention = ConcurrentHashMap.newKeySet();
    private final int sweepRounds;
    private final long heartbeatAfterMillis;
    private final Map<Integer, LongAdder> closes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher;
    // Helps the flush thread: the container encodes each frame (UTF-8) on the thread that sends it,
    // so with many connections one thread's pass over all of them delays the last by tens of ms.
    private final ThreadPoolExecutor flushHelpers;
    private final int flushParts;
    private final ThreadPoolExecutor closer;
    // Sends the pings: a container may send a ping as a blocking write (Tomcat does), which must
    // never stall the flush thread on a client whose socket is full.
    private final ThreadPoolExecutor pinger;
    // What the server has seen of the pongs, over all connections (see Liveness.timedOut).
    private final PongClock pongs;
    private volatile long pongLag;     // pongs.lag() as of this flush, for the flush's helpers too
    private final Admission admission;
    private final StreamMetrics metrics;
    private volatile boolean stopped;
    private volatile long lastFlushAt;  // when the last flush completed (monotonic ms)
    // Every thread the hub's pools started: awaitTermination returns while a finished pool's last
    // thread is still exiting, and a container checking for leftover threads right after undeploy
    // (Tomcat) would see it; shutdown joins them.
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private Round round;               // the flush thread's latest view of the board

    public QuoteHub(QuoteBoard board, StreamConfig config, TimeSource time) {
        this(board, config, time, StreamMetrics.NONE);
    }

    /** {@code time}: every interval and timeout runs on its monotonic clock; frames are stamped with its wall clock. */
    public QuoteHub(QuoteBoard board, StreamConfig config, TimeSource time, StreamMetrics metrics) {
        this(board, config, time, metrics, "");
    }

    /** {@code node}: this node's name in a cluster, told to clients in {@code welcome}; empty when standalone. */
    public QuoteHub(QuoteBoard board, StreamConfig config, TimeSource time, StreamMetrics metrics, String node) {
        this(board, config, time, metrics, MAX_SWEEP_MILLIS, node);
    }

    /** {@code maxSweepMillis}: the longest a connection may go unvisited (tests make it long, to see what the index alone does). */
    QuoteHub(QuoteBoard board, StreamConfig config, TimeSource time, StreamMetrics metrics, int maxSweepMillis, String node) {
        this.board = board;
        this.node = node;
        this.metrics = metrics;
        this.round = Round.initial(board);
        this.config = config;
        this.time = time;
        ScheduledThreadPoolExecutor flushThread = new ScheduledThreadPoolExecutor(1, daemon("ticker-flush"));
        // On shutdown the pending releases of admission places do not matter any more.
        flushThread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.flusher = flushThread;
        this.flushParts = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        // Fed at most flushParts - 1 tasks per flush, and a flush waits for them before the next
        // can start; a bounded queue all the same, and a slice it refuses runs on the flush thread.
        int helpers = Math.max(1, flushParts - 1);
        this.flushHelpers = new ThreadPoolExecutor(helpers, helpers, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(helpers), daemon("ticker-flush-helper"));
        // Closing may block on a client that does not read, so it never runs on the flush thread.
        // Two threads, so one such client does not hold up every other close; they end when idle.
        // Each connection is closed once, so this queue holds at most one entry per connection.
        this.closer = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(config.maxSessions() + MAX_PENDING_CLOSES), daemon("ticker-close"));
        this.closer.allowCoreThreadTimeOut(true);
        this.pinger = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MAX_PENDING_PINGS), daemon("ticker-ping"));
        this.pinger.allowCoreThreadTimeOut(true);
        this.admission = new Admission(config.maxSessions(), config.maxSessionsPerAddress());
        this.pongs = new PongClock(config.pingMillis(), time.monotonicMillis());
        // A sweep takes at most a quarter of the shortest deadline it checks, so none is overshot by more.
        int shortest = Math.min(Math.min(config.heartbeatMillis(), config.pingMillis()),
                Math.min(config.pongTimeoutMillis(), Math.min(config.sendTimeoutMillis(), config.subscribeTimeoutMillis())));
        this.sweepRounds = Math.max(1, Math.min(maxSweepMillis, shortest / 4) / config.flushMillis());
        // A connection may go a whole sweep between visits: a heartbeat due within it goes out
        // early, so the server is never silent for longer than heartbeatMillis.
        this.heartbeatAfterMillis = Math.max(0, config.heartbeatMillis() - (long) sweepRounds * config.flushMillis());
        this.index = new FlushIndex<>(board.universe().size(), WIDE_ABOVE, sweepRounds);
    }

    public StreamConfig config() {
        return config;
    }

    public QuoteBoard board() {
        return board;
    }

    StreamMetrics metrics() {
        return metrics;
    }

    /** Symbols subscribed, summed over the open connections (for metrics: visits every connection). */
    public long subscriptions() {
        long sum = 0;
        for (Connection connection : connections) {
            sum += connection.subscriptionCount();
        }
        return sum;
    }

    /** The connection counts the handshake filter admits against. */
    public Admission admission() {
        return admission;
    }

    /** Monotonic milliseconds: what every interval and timeout of the stream is measured on. */
    long now() {
        return time.monotonicMillis();
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
        lastFlushAt = now();
        flusher.scheduleAtFixedRate(this::flushAll, config.flushMillis(), config.flushMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Asks {@code verdict} a few times a second whether every connection must go, and why, and if
     * so closes them with that reason, spread over {@code spreadMillis} (see {@link Shedder}).
     * Handshakes are the caller's to refuse meanwhile.
     */
    public void shedWhen(java.util.function.Supplier<CloseReason> verdict, long spreadMillis) {
        Shedder shedder = new Shedder(this, verdict, spreadMillis, SHED_TICK_MILLIS);
        flusher.scheduleWithFixedDelay(() -> {
            try {
                shedder.tick();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "shedding connections failed", e);
            }
        }, SHED_TICK_MILLIS, SHED_TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Open connections not yet closing, for the {@link Shedder}. */
    java.util.Collection<Connection> openConnections() {
        return connections;
    }

    /** The feed's listener: records the quote for the next flush. */
    public void publish(Quote quote) {
        board.publish(quote);
    }

    /** Open connections. */
    public int sessions() {
        return connections.size();
    }

    /** How many connections the server closed, by close code (the clients' own closes are not counted). */
    public Map<Integer, Long> closesByCode() {
        Map<Integer, Long> counts = new TreeMap<>();
        closes.forEach((code, count) -> counts.put(code, count.sum()));
        return counts;
    }

    /** Registers a new session and sends its {@code welcome}. */
    Connection open(Session session) {
        long now = now();
        // Containers that honour these close frames over the limit with 1009 before buffering them.
        session.setMaxTextMessageBufferSize(config.maxMessageBytes());
        session.setMaxBinaryMessageBufferSize(config.maxMessageBytes());
        // Tomcat only (others ignore them): its blocking writes (pings, closes with 1000) give up
        // after the send timeout instead of 20 s, and a close frame the client never answers ends
        // the connection after CLOSE_WAIT_MILLIS instead of 30 s (checked every 10 s).
        session.getUserProperties().put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", (long) config.sendTimeoutMillis());
        session.getUserProperties().put("org.apache.tomcat.websocket.SESSION_CLOSE_TIMEOUT", (long) CLOSE_WAIT_MILLIS);
        Admission.Ticket ticket = admission.claim(session.getUserProperties().get(Admission.TICKET_PROPERTY));
        Connection connection = new Connection(session, time,
                new Outbox(board, config.maxSymbols(), config.maxPendingReplies(), config.maxPendingReplyBytes()),
                new RateLimiter(config.maxMessagesPerSecond(), config.maxMessageBurst(), now), this, ticket, now,
                // The first ping at a random point of the first interval: connections that opened
                // together (a deploy, a reconnect wave) are then not all pinged in the same flush.
                now + ThreadLocalRandom.current().nextLong(1, config.pingMillis() + 1L));
        if (stopped) {
            close(connection, new CloseReason(CloseCodes.GOING_AWAY, "server shutting down"));
            return connection;
        }
        // Every request to the stream's path is counted (and refused over a limit) before the
        // upgrade, and its ticket comes along; a session without a valid one did not pass that
        // gate, or reuses a ticket, and is not served.
        if (ticket == null) {
            close(connection, new CloseReason(CloseCodes.VIOLATED_POLICY, "not admitted; connect again"));
            return connection;
        }
        // Queued before the flush thread can see the connection, so welcome is always frame 1, and
        // sent only once the connection is registered: a send that fails at once (a client that
        // reset right after its handshake) closes the connection, and that close must find it
        // registered, or the connection would be added after it was forgotten and stay forever.
        connection.welcome(new Welcome(0, 0, PROTOCOL, config.heartbeatMillis(), config.limits(),
                board.universe().symbols(), node));
        connections.add(connection);
        attention.add(connection);
        if (connection.isClosing()) {
            forget(connection);                  // closed (onClose, or a failure) before it was added
        } else {
            connection.pump(now, null);
        }
        return connection;
    }

    /** Carries out one request. */
    void handle(Connection connection, Command command) {
        long now = now();
        if (command instanceof Invalid invalid && invalid.code() == ErrorCode.MESSAGE_TOO_BIG) {
            close(connection, new CloseReason(CloseCodes.TOO_BIG, invalid.message()));
            return;
        }
        switch (connection.admit(now)) {
            case ABUSE -> {
                close(connection, new CloseReason(CloseCodes.VIOLATED_POLICY,
                        "more than " + config.maxMessagesPerSecond() + " requests per second, repeatedly"));
                return;
            }
            case LIMIT -> {
                reply(connection, now, new ErrorMessage(command.id(), 0, 0, ErrorCode.RATE_LIMITED,
                        "more than " + config.maxMessagesPerSecond() + " requests per second; request dropped"));
                return;
            }
            case ALLOW -> { }
        }
        if (!carryOut(connection, now, command)) {
            unanswerable(connection);
        }
        if (command instanceof Subscribe || command instanceof Unsubscribe) {
            attention.add(connection);          // after the change: the flush re-reads the symbols
        }
    }

    /** Queues the reply to an admitted request; false if the outbox is full. */
    private static boolean carryOut(Connection connection, long now, Command command) {
        // Java 17 has no pattern switch; the sealed Command keeps this list complete.
        if (command instanceof Subscribe s) {
            return connection.subscribe(now, s.id(), s.symbols(), s.snapshot());
        } else if (command instanceof Unsubscribe u) {
            return connection.unsubscribe(now, u.id(), u.symbols());
        } else if (command instanceof Ping p) {
            return connection.reply(now, new Pong(p.id(), 0, 0));
        } else {
            Invalid i = (Invalid) command;
            return connection.reply(now, new ErrorMessage(i.id(), 0, 0, i.code(), i.message()));
        }
    }

    /** A binary frame: the protocol is text only. */
    void binary(Connection connection) {
        close(connection, new CloseReason(CloseCodes.CANNOT_ACCEPT, "binary frames are not accepted; send JSON text"));
    }

    /** The session closed, for whatever reason. */
    void closed(Connection connection) {
        boolean byClient = connection.markClosing();
        forget(connection);
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
            flusher.schedule(() -> admission.release(ticket), delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopped) {
            admission.release(ticket);
        }
    }

    /**
     * A pong arrived carrying {@code data}: the answer to our ping if it echoes its payload; one the
     * client sent on its own changes nothing (it would otherwise keep alive a client that reads nothing).
     */
    void pong(Connection connection, ByteBuffer data) {
        long pingSentAt = connection.ponged(data);
        if (pingSentAt != Liveness.NONE) {
            long now = now();
            pongs.read(pingSentAt, now);
            metrics.pongRead(Math.max(0, now - pingSentAt));
        }
    }

    /** No longer open: not counted, not visited. Its admission place is the caller's business. */
    private void forget(Connection connection) {
        connections.remove(connection);
        attention.add(connection);              // the flush takes it out of the index
    }

    /** A send failed or the container reported an error: the connection is of no further use. */
    void failed(Connection connection, Throwable error) {
        LOG.log(Level.FINE, "connection " + connection.id() + " failed", error);
        connection.markBroken();
        close(connection, new CloseReason(CloseCodes.UNEXPECTED_CONDITION, "send failed"));
    }

    private void reply(Connection connection, long now, ErrorMessage error) {
        if (!connection.reply(now, error)) {
            unanswerable(connection);
        }
    }

    private void unanswerable(Connection connection) {
        close(connection, new CloseReason(CloseCodes.VIOLATED_POLICY,
                "replies waiting over " + config.maxPendingReplies() + " or " + config.maxPendingReplyBytes()
                        + " bytes; read your frames"));
    }

    /** Runs every flushMillis on the flush thread. */
    private void flushAll() {
        // scheduleAtFixedRate cancels the schedule on the first throw, Errors included: one bad
        // flush must not end the stream for everybody (each connection's visit is guarded too).
        try {
            flushOnce();
            lastFlushAt = now();
        } catch (Throwable e) {
            LOG.log(Level.SEVERE, "a flush failed; the next runs as scheduled", e);
        }
    }

    /**
     * Whether flushes complete: false once the last one completed longer ago than
     * {@link #flushStalledAfterMillis()} (the flush thread is stuck, or every flush fails), and
     * after shutdown. {@code /health} reports DOWN then.
     */
    public boolean flushing() {
        return !stopped && millisSinceFlush() <= flushStalledAfterMillis();
    }

    /** Milliseconds since the last flush completed (or since the hub started, before the first). */
    public long millisSinceFlush() {
        return Math.max(0, now() - lastFlushAt);
    }

    /** How long without a completed flush counts as stalled: ten flushes, and at least 2 s (a GC pause is not a stall). */
    public long flushStalledAfterMillis() {
        return Math.max(2_000L, 10L * config.flushMillis());
    }

    private void flushOnce() {
        long now = now();
        pongLag = pongs.lag(now);
        round = round.next(board);
        Round current = round;
        Connection[] visits = plan(current);
        int parts = visits.length < 2 * MIN_CONNECTIONS_PER_PART ? 1 : flushParts;
        if (parts == 1) {
            metrics.flushed(current.conflated(), flush(visits, 0, visits.length, now, current), visits.length);
            return;
        }
        // Contiguous slices: the flush thread takes the first, helpers the others.
        CountDownLatch helped = new CountDownLatch(parts - 1);
        LongAdder busy = new LongAdder();
        for (int part = 1; part < parts; part++) {
            int from = visits.length * part / parts;
            int to = visits.length * (part + 1) / parts;
            try {
                flushHelpers.execute(() -> {
                    try {
                        busy.add(flush(visits, from, to, now, current));
                    } finally {
                        helped.countDown();
                    }
                });
            } catch (RejectedExecutionException e) {
                helped.countDown();
                if (!stopped) {
                    busy.add(flush(visits, from, to, now, current));
                }
            }
        }
        busy.add(flush(visits, 0, visits.length / parts, now, current));
        try {
            // Sends are asynchronous, so a slice takes milliseconds; never wait forever on one.
            if (!helped.await(Math.max(1000L, 10L * config.flushMillis()), TimeUnit.MILLISECONDS)) {
                LOG.warning("a flush helper has not finished its share in time; flushing on");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.flushed(current.conflated(), busy.sum(), visits.length);
    }

    /**
     * The connections this flush visits: those that asked for attention since the last one (their
     * places in the index brought up to date first), the wide ones, the subscribers of every symbol
     * that changed, and this round's slice of the sweep. Each once.
     */
    private Connection[] plan(Round current) {
        index.begin(current.number());
        for (Connection connection : attention) {
            // Removed before it is read: a connection that asks again meanwhile stays for the next flush.
            attention.remove(connection);
            if (connection.isClosing()) {
                if (connection.place != null) {
                    index.remove(connection.place);
                }
                continue;
            }
            if (connection.place == null) {
                connection.place = index.add(connection);
            }
            Connection.Subscriptions subscriptions = connection.subscriptionsUnless(connection.place.version());
            if (subscriptions != null) {
                index.subscribe(connection.place, subscriptions.indices(), subscriptions.version());
            }
            index.collect(connection.place);
        }
        index.collectWide();
        for (int i = 0; i < current.changedCount(); i++) {
            index.collectSubscribersOf(current.changed(i));
        }
        index.collectSweep();
        // A new array each flush: a helper that overran its flush may still be reading the last one.
        Connection[] visits = new Connection[index.collectedCount()];
        for (int i = 0; i < visits.length; i++) {
            visits[i] = index.collected(i);
        }
        return visits;
    }

    /** Visits {@code visits[from..to)} in {@code current}; returns how many were still busy sending. */
    private long flush(Connection[] visits, int from, int to, long now, Round current) {
        long busy = 0;
        long readUpTo = pongs.readUpTo();
        for (int i = from; i < to; i++) {
            Connection connection = visits[i];
            // Guarded per connection: one failing connection must neither cancel the schedule
            // (scheduleAtFixedRate stops on a throw) nor skip the others in this flush.
            try {
                switch (connection.visit(now, current, config, readUpTo, pongLag)) {
                    case STUCK -> close(connection, new CloseReason(dev.ticker.stream.CloseCodes.SLOW_CONSUMER,
                            "slow consumer: a send was stuck over " + config.sendTimeoutMillis() + " ms"));
                    case GONE -> close(connection, new CloseReason(dev.ticker.stream.CloseCodes.PONG_TIMEOUT,
                            "no pong within " + config.pongTimeoutMillis() + " ms"));
                    case IDLE -> close(connection, new CloseReason(CloseCodes.VIOLATED_POLICY,
                            "subscribed to nothing for " + config.subscribeTimeoutMillis() + " ms"));
                    case PING -> {
                        attention.add(connection);
                        ping(connection);
                    }
                    case BUSY -> {
                        attention.add(connection);
                        busy++;
                    }
                    case BEHIND -> attention.add(connection);
                    case DONE -> { }
                }
            } catch (Throwable e) {
                LOG.log(Level.WARNING, "flush of connection " + connection.id() + " failed", e);
            }
        }
        return busy;
    }

    /** Hands the ping {@code connection} wants to a pinger thread, which writes it when its send slot is free. */
    void ping(Connection connection) {
        try {
            pinger.execute(() -> {
                try {
                    connection.writePing();
                } catch (IOException | RuntimeException e) {
                    failed(connection, e);
                }
            });
        } catch (RejectedExecutionException e) {
            connection.pingAbandoned();
        }
    }

    /**
     * Closes a connection, once, on a closer thread; should their queue ever be full, on this one:
     * a close is never dropped (the socket would stay open, uncounted, for good).
     */
    void close(Connection connection, CloseReason reason) {
        if (!connection.markClosing()) {
            return;
        }
        closes.computeIfAbsent(reason.getCloseCode().getCode(), code -> new LongAdder()).increment();
        forget(connection);
        if (connection.isBroken()) {
            // A send failed: the container has dropped the socket (and may never report the close).
            admission.release(connection.ticket());
        } else {
            // The place is given back once the container reports the connection closed (closed(),
            // plus the linger); should it never report it (a close that hangs in the container), in
            // any case after this long.
            releaseLater(connection, MAX_CLOSING_MILLIS);
        }
        try {
            closer.execute(() -> closeNow(connection, reason));
        } catch (RejectedExecutionException e) {
            LOG.warning("close queue full; closing session " + connection.id() + " on this thread");
            closeNow(connection, reason);
        }
    }

    private void closeNow(Connection connection, CloseReason reason) {
        try {
            // Undertow (WildFly) waits for the client's answer to the close frame for as long as the
            // connection may stay idle, which is for ever by default: then it drops the socket.
            connection.session().setMaxIdleTimeout(CLOSE_WAIT_MILLIS);
        } catch (RuntimeException alreadyClosed) {
            LOG.log(Level.FINE, "closing " + connection.id() + ": no idle timeout", alreadyClosed);
        }
        try {
            connection.session().close(reason);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "closing " + connection.id() + " failed", e);
        }
    }

    /**
     * Stops flushing and closes every connection with 1001 (going away), waiting up to
     * {@code timeoutMillis} for the close frames to go out.
     */
    public void shutdown(long timeoutMillis) {
        stopped = true;
        // shutdown, not shutdownNow: a pinger or the flush may be inside a socket write, and an
        // interrupt there closes the channel under the container (no close frame for that client).
        flusher.shutdown();
        flushHelpers.shutdown();
        pinger.shutdown();
        for (Connection connection : connections) {
            close(connection, new CloseReason(CloseCodes.GOING_AWAY, "server shutting down"));
        }
        closer.shutdown();
        try {
            if (!closer.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
                LOG.warning("some sessions did not close within " + timeoutMillis + " ms");
            }
            flusher.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
            flushHelpers.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
            pinger.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
            for (Thread thread : threads) {
                thread.join(timeoutMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connections.clear();
        attention.clear();
    }

    private java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            threads.removeIf(t -> !t.isAlive());   // pools whose idle threads ended made new ones
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            threads.add(thread);
            return thread;
        };
    }
}
