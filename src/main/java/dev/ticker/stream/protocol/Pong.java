package dev.ticker.stream.protocol;

import jakarta.json.JsonValue;

/** Reply to {@link Ping}. */
public record Pong(JsonValue id, long seq, long ts) implements Event {

    @Override
    public Pong stamped(long seq, long ts) {
        return new Pong(id, seq, ts);
    }
}
