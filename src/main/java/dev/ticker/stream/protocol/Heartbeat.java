package dev.ticker.stream.protocol;

/** Sent when no other frame went out for {@code heartbeatMs}, so clients can tell idle from dead. */
public record Heartbeat(long seq, long ts) implements Event {

    @Override
    public Heartbeat stamped(long seq, long ts) {
        return new Heartbeat(seq, ts);
    }
}
