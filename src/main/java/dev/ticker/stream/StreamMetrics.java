package dev.ticker.stream;

import dev.ticker.stream.protocol.Event;

/**
 * What the stream reports as it runs, for whoever keeps the metrics (the web layer exports them
 * at {@code /metrics}). Called on the hot path: implementations must be cheap and thread safe.
 * The counts that exist anyway (sessions, closes by code) are read from the hub, not pushed here.
 */
public interface StreamMetrics {

    /** Reports nothing. */
    StreamMetrics NONE = new StreamMetrics() {
        @Override
        public void frameSent(Event event) {
        }

        @Override
        public void sendCompleted(long nanos, boolean ok) {
        }

        @Override
        public void flushed(long conflatedUpdates, long busyConnections, long visitedConnections) {
        }

        @Override
        public void pongRead(long roundTripMillis) {
        }
    };

    /** A frame was handed to the container. */
    void frameSent(Event event);

    /** A send completed ({@code ok}) or failed, {@code nanos} after it was handed over. */
    void sendCompleted(long nanos, boolean ok);

    /**
     * A flush ran: {@code conflatedUpdates} quotes were replaced by newer ones before it (nobody
     * sees those), and {@code busyConnections} connections were still sending the previous frame,
     * so their updates wait for the next flush; it visited {@code visitedConnections} connections
     * in all (not every open one: see {@link FlushIndex}).
     */
    void flushed(long conflatedUpdates, long busyConnections, long visitedConnections);

    /**
     * The pong to one of the server's pings was read, {@code roundTripMillis} after the ping was
     * written: the client's answer time plus the time the server took to read it.
     */
    void pongRead(long roundTripMillis);
}
