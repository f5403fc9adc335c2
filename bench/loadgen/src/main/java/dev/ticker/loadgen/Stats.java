package dev.ticker.loadgen;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** What all clients measure together; every counter is safe to bump from any thread. */
final class Stats {

    final LongAdder connected = new LongAdder();
    final LongAdder handshakesFailed = new LongAdder();
    final LongAdder frames = new LongAdder();
    final LongAdder quotes = new LongAdder();
    final LongAdder heartbeats = new LongAdder();
    final LongAdder seqGaps = new LongAdder();
    final LongAdder errorsReceived = new LongAdder();
    final LongAdder unexpectedCloses = new LongAdder();
    /** Unexpected closes by close code (-1: the connection failed without one). */
    final java.util.Map<Integer, LongAdder> unexpectedCloseCodes = new java.util.concurrent.ConcurrentHashMap<>();

    void unexpectedClose(int code, String why) {
        unexpectedCloses.increment();
        LongAdder count = unexpectedCloseCodes.computeIfAbsent(code, c -> new LongAdder());
        count.increment();
        if (count.sum() == 1) {                         // the first of each code, for the log
            System.out.println("unexpected close " + code + ": " + why);
        }
    }

    /** Quote latency from its {@code ts} to its arrival, in ms. */
    final Recorder latency = new Recorder(3_600_000L, 3);
    /** Handshake time from the connect call to the open socket, in ms. */
    final Recorder handshake = new Recorder(3_600_000L, 3);

    /** Accumulated over the whole measurement window. */
    final Histogram latencyTotal = new Histogram(3_600_000L, 3);
    final Histogram handshakeTotal = new Histogram(3_600_000L, 3);
}
