package dev.ticker.stream.protocol;

import jakarta.json.JsonValue;
import java.util.List;

/**
 * {@code {"type":"subscribe","id":7,"symbols":["AAPL","MSFT"],"snapshot":true}}; {@code ["*"]}
 * means the whole universe.
 */
public record Subscribe(JsonValue id, List<String> symbols, boolean snapshot) implements Command {
    public Subscribe {
        symbols = List.copyOf(symbols);
    }
}
