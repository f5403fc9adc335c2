package dev.ticker.stream.protocol;

import java.util.List;

/** The current quote of each symbol a {@link Subscribe} just added; sent right after {@link Subscribed}. */
public record Snapshot(long seq, long ts, List<EncodedQuote> data) implements Event {

    public Snapshot {
        data = List.copyOf(data);
    }

    @Override
    public Snapshot stamped(long seq, long ts) {
        return new Snapshot(seq, ts, data);
    }
}
