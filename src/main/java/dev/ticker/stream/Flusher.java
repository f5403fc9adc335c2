package dev.ticker.stream;

import dev.ticker.market.MarketStatus;
import dev.ticker.market.TimeSource;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The flush round: every {@code flushMillis}, on the hub's timer thread, takes the board's news
 * as a {@link Round}, asks the {@link FlushPlan} whom to visit, and visits them, helped by other
 * threads when there are many. A visit sends a connection its next frame, and the answer of the
 * visit says what else it needs: a close, a ping, another visit next round.
 */
final class Flusher {

    private static final Logger LOG = Logger.getLogger(Flusher.class.getName());
    /** Below twice this many visits one thread makes them all: handing off costs more. */
    private static final int MIN_CONNECTIONS_PER_PART = 200;

    private final QuoteBoard board;
    private final StreamConfig config;
    private final TimeSource time;
    private final StreamMetrics metrics;
    private final Connections connections;
    private final FlushPlan plan;
    private final Pinger pinger;
    private final Closer closer;
    private final ScheduledExecutorService timer;
    // Helps the flush thread: the container encodes each frame (UTF-8) on the thread that sends it,
    // so with many connections one thread's pass over all of them delays the last by tens of ms.
    private final ThreadPoolExecutor helpers;
    private final int parts;
    private volatile long pongLag;      // the pinger's lag as of this flush, for the helpers too
    private volatile long lastFlushAt;  // when the last flush completed (monotonic ms)
    private volatile boolean stopped;
    // While a drain closes every connection at its announced time, no other close may come first:
    // an event stream's pong (an HTTP POST) may find the app already stopping, and its client
    // would then be closed with 4003 instead of its 1001.
    private volatile boolean draining;
    private Round round;               // the flush thread's latest view of the board

    Flusher(QuoteBoard board, StreamConfig config, TimeSource time, StreamMetrics metrics, Connections connections,
            FlushPlan plan, Pinger pinger, Closer closer, ScheduledExecutorService timer, HubThreads threads) {
        this.board = board;
        this.config = config;
        this.time = time;
        this.metrics = metrics;
        this.connections = connections;
        this.plan = plan;
        this.pinger = pinger;
        this.closer = closer;
        this.timer = timer;
        this.round = Round.initial(board);
        this.parts = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        // Fed at most parts - 1 tasks per flush, and a flush waits for them before the next can
        // start; a bounded queue all the same, and a slice it refuses runs on the flush thread.
        int helperThreads = Math.max(1, parts - 1);
        this.helpers = new ThreadPoolExecutor(helperThreads, helperThreads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(helperThreads), threads.named("ticker-flush-helper"));
        this.lastFlushAt = time.monotonicMillis();
    }

    void start() {
        lastFlushAt = time.monotonicMillis();
        timer.scheduleAtFixedRate(this::flushAll, config.flushMillis(), config.flushMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs every flushMillis on the timer thread. */
    private void flushAll() {
        // scheduleAtFixedRate cancels the schedule on the first throw, Errors included: one bad
        // flush must not end the stream for everybody (each connection's visit is guarded too).
        try {
            flushOnce();
            lastFlushAt = time.monotonicMillis();
        } catch (Throwable e) {
            LOG.log(Level.SEVERE, "a flush failed; the next runs as scheduled", e);
        }
    }

    /** See {@link QuoteHub#flushing()}. */
    boolean flushing() {
        return !stopped && millisSinceFlush() <= stalledAfterMillis();
    }

    long millisSinceFlush() {
        return Math.max(0, time.monotonicMillis() - lastFlushAt);
    }

    long stalledAfterMillis() {
        return Math.max(2_000L, 10L * config.flushMillis());
    }

    private void flushOnce() {
        long now = time.monotonicMillis();
        pongLag = pinger.lag(now);
        MarketStatus market = board.marketAt(time.epochMillis());
        if (market != null && (round.market() == null || round.market().key() != market.key())) {
            // The market opened, closed or rolled: every connection is told in this flush, not in
            // its next sweep.
            connections.attendAll();
        }
        round = round.next(board, market);
        Round current = round;
        Connection[] visits = plan.visits(current);
        int used = visits.length < 2 * MIN_CONNECTIONS_PER_PART ? 1 : parts;
        if (used == 1) {
            metrics.flushed(current.conflated(), flush(visits, 0, visits.length, now, current), visits.length);
            return;
        }
        // Contiguous slices: the flush thread takes the first, helpers the others.
        CountDownLatch helped = new CountDownLatch(used - 1);
        LongAdder busy = new LongAdder();
        for (int part = 1; part < used; part++) {
            int from = visits.length * part / used;
            int to = visits.length * (part + 1) / used;
            try {
                helpers.execute(() -> {
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
        busy.add(flush(visits, 0, visits.length / used, now, current));
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

    /** Visits {@code visits[from..to)} in {@code current}; returns how many were still busy sending. */
    private long flush(Connection[] visits, int from, int to, long now, Round current) {
        long busy = 0;
        long readUpTo = pinger.readUpTo();
        for (int i = from; i < to; i++) {
            Connection connection = visits[i];
            // Guarded per connection: one failing connection must neither cancel the schedule
            // (scheduleAtFixedRate stops on a throw) nor skip the others in this flush.
            try {
                switch (connection.visit(now, current, config, readUpTo, pongLag)) {
                    case STUCK -> closer.close(connection, new Close(CloseCodes.SLOW_CONSUMER,
                            "slow consumer: a send was stuck over " + config.sendTimeoutMillis() + " ms"));
                    case GONE -> {
                        if (!draining) {
                            closer.close(connection, new Close(CloseCodes.PONG_TIMEOUT,
                                    "no pong within " + config.pongTimeoutMillis() + " ms"));
                        }
                    }
                    case IDLE -> {
                        if (!draining) {
                            closer.close(connection, new Close(CloseCodes.VIOLATED_POLICY,
                                    "subscribed to nothing for " + config.subscribeTimeoutMillis() + " ms"));
                        }
                    }
                    case PING -> {
                        connections.attend(connection);
                        pinger.ping(connection);
                    }
                    case BUSY -> {
                        connections.attend(connection);
                        busy++;
                    }
                    case BEHIND -> connections.attend(connection);
                    case DONE -> { }
                }
            } catch (Throwable e) {
                LOG.log(Level.WARNING, "flush of connection " + connection.id() + " failed", e);
            }
        }
        return busy;
    }

    /** From now on a missing pong or an empty subscription closes nothing: the drain closes everyone. */
    void draining() {
        draining = true;
    }

    /** Stops flushing (the timer is the hub's to stop) and its helpers. */
    void stop() {
        stopped = true;
        helpers.shutdown();
    }

    void await(long timeoutMillis) throws InterruptedException {
        helpers.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
    }
}
