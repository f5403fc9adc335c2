package dev.ticker.stream.protocol;

/**
 * A frame from the server. Events are built without a sequence number and {@link #stamped} at the
 * moment they are sent, so that {@code seq} counts the frames of one connection with no gaps.
 */
public sealed interface Event permits Welcome, Subscribed, Unsubscribed, Snapshot, Ticks, Heartbeat, Pong, ErrorMessage,
        MarketState, History, Notice {

    /** Position of this frame on its connection: 1, 2, 3, ... */
    long seq();

    /** Epoch milliseconds at which the frame was sent. */
    long ts();

    /** A copy of this event carrying {@code seq} and {@code ts}. */
    Event stamped(long seq, long ts);
}
