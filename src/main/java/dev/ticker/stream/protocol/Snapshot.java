package dev.ticker.stream.protocol;

import java.util.List;
import java.util.Objects;

/** The current quote of each symbol a {@link Subscribe} just added; sent right after {@link Subscribed}. */
public record Snapshot(long seq, long ts, QuoteBatch data) implements Event {

    public Snapshot {
        Objects.requireNonNull(data, "data");
    }

    public Snapshot(long seq, long ts, List<EncodedQuote> data) {
        this(seq, ts, QuoteBatch.of(data));
    }

    @Override
    public Snapshot stamped(long seq, long ts) {
        return new Snapshot(seq, ts, data);
    }
}
