package dev.ticker.stream;

import dev.ticker.market.TimeSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Writes the pings the flush finds due, on threads of its own: a container may write a ping with
 * a blocking write (Tomcat does), which must never stall the flush thread on a client whose socket
 * is full. Reads the pongs, and keeps the {@link PongClock} of them all.
 */
final class Pinger {

    private static final int MAX_PENDING_PINGS = 10_000;

    private final ThreadPoolExecutor pool;
    private final PongClock pongs;
    private final TimeSource time;
    private final StreamMetrics metrics;
    private final Closer closer;

    Pinger(StreamConfig config, TimeSource time, StreamMetrics metrics, Closer closer, HubThreads threads) {
        this.time = time;
        this.metrics = metrics;
        this.closer = closer;
        this.pongs = new PongClock(config.pingMillis(), time.monotonicMillis());
        this.pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MAX_PENDING_PINGS), threads.named("ticker-ping"));
        this.pool.allowCoreThreadTimeOut(true);
    }

    /** Hands the ping {@code connection} wants to a pinger thread, which writes it when its send slot is free. */
    void ping(Connection connection) {
        try {
            pool.execute(() -> {
                try {
                    connection.writePing();
                } catch (IOException | RuntimeException e) {
                    closer.failed(connection, e);
                }
            });
        } catch (RejectedExecutionException e) {
            connection.pingAbandoned();
        }
    }

    /**
     * A pong arrived carrying {@code data}: the answer to our ping if it echoes its payload; one the
     * client sent on its own changes nothing (it would otherwise keep alive a client that reads nothing).
     */
    void pong(Connection connection, ByteBuffer data) {
        long pingSentAt = connection.ponged(data);
        if (pingSentAt != Liveness.NONE) {
            long now = time.monotonicMillis();
            pongs.read(pingSentAt, now);
            metrics.pongRead(Math.max(0, now - pingSentAt));
        }
    }

    /** See {@link PongClock#lag}. */
    long lag(long now) {
        return pongs.lag(now);
    }

    /** See {@link PongClock#readUpTo}. */
    long readUpTo() {
        return pongs.readUpTo();
    }

    /**
     * Takes no more pings. Not an interrupt: a pinger may be inside a socket write, and an
     * interrupt there closes the channel under the container (no close frame for that client).
     */
    void stop() {
        pool.shutdown();
    }

    void await(long timeoutMillis) throws InterruptedException {
        pool.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
    }
}
