package dev.ticker.stream.protocol;

import java.util.List;
import java.util.Objects;

/** Conflated updates: the latest quote of each subscribed symbol that changed since the last frame. */
public record Ticks(long seq, long ts, QuoteBatch data) implements Event {

    public Ticks {
        Objects.requireNonNull(data, "data");
    }

    public Ticks(long seq, long ts, List<EncodedQuote> data) {
        this(seq, ts, QuoteBatch.of(data));
    }

    @Override
    public Ticks stamped(long seq, long ts) {
        return new Ticks(seq, ts, data);
    }
}
