package dev.ticker.stream.protocol;

import jakarta.json.JsonValue;
import java.util.List;

/** Reply to {@link Subscribe}: the connection's whole subscription set after the request. */
public record Subscribed(JsonValue id, long seq, long ts, List<String> symbols, List<Rejection> rejected)
        implements Event {

    public Subscribed {
        symbols = List.copyOf(symbols);
        rejected = List.copyOf(rejected);
    }

    @Override
    public Subscribed stamped(long seq, long ts) {
        return new Subscribed(id, seq, ts, symbols, rejected);
    }
}
