package dev.ticker.stream.protocol;

import dev.ticker.history.Bars;
import jakarta.json.JsonValue;
import java.util.Objects;

/** The reply to a {@link HistoryRequest}: the symbol's bars of the session asked for. */
public record History(JsonValue id, long seq, long ts, Bars bars) implements Event {

    public History {
        Objects.requireNonNull(bars, "bars");
    }

    @Override
    public History stamped(long seq, long ts) {
        return new History(id, seq, ts, bars);
    }
}
