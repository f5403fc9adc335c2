package dev.ticker.stream.protocol;

import java.util.List;

/** Conflated updates: the latest quote of each subscribed symbol that changed since the last frame. */
public record Ticks(long seq, long ts, List<EncodedQuote> data) implements Event {

    public Ticks {
        data = List.copyOf(data);
    }

    @Override
    public Ticks stamped(long seq, long ts) {
        return new Ticks(seq, ts, data);
    }
}
