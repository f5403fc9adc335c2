package dev.ticker.stream.protocol;

import dev.ticker.market.MarketStatus;
import java.util.Objects;

/** Sent when the market opens, closes or rolls to a new session: its state from then on. */
public record MarketState(long seq, long ts, MarketStatus status) implements Event {

    public MarketState {
        Objects.requireNonNull(status, "status");
    }

    @Override
    public MarketState stamped(long seq, long ts) {
        return new MarketState(seq, ts, status);
    }
}
