package dev.ticker.stream.protocol;

import jakarta.json.JsonValue;
import java.util.List;

/** {@code {"type":"unsubscribe","id":"u1","symbols":["AAPL"]}}; {@code ["*"]} means all. */
public record Unsubscribe(JsonValue id, List<String> symbols) implements Command {
    public Unsubscribe {
        symbols = List.copyOf(symbols);
    }
}
