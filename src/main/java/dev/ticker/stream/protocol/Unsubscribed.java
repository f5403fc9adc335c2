package dev.ticker.stream.protocol;

import jakarta.json.JsonValue;
import java.util.List;

/** Reply to {@link Unsubscribe}: the connection's whole subscription set after the request. */
public record Unsubscribed(JsonValue id, long seq, long ts, List<String> symbols) implements Event {

    public Unsubscribed {
        symbols = List.copyOf(symbols);
    }

    @Override
    public Unsubscribed stamped(long seq, long ts) {
        return new Unsubscribed(id, seq, ts, symbols);
    }
}
