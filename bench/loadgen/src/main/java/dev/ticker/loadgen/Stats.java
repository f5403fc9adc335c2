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

    /** Quote latency from its {@code ts} to its arrival, in ms. */
    final Recorder latency = new Recorder(3_600_000L, 3);
    /** Handshake time from the connect call to the open socket, in ms. */
    final Recorder handshake = new Recorder(3_600_000L, 3);

    /** Accumulated over the whole measurement window. */
    final Histogram latencyTotal = new Histogram(3_600_000L, 3);
    final Histogram handshakeTotal = new Histogram(3_600_000L, 3);
}
