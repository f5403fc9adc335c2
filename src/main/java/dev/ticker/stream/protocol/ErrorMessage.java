package dev.ticker.stream.protocol;

import jakarta.json.JsonValue;
import java.util.Objects;

/** A request the server could not carry out; the connection stays open. */
public record ErrorMessage(JsonValue id, long seq, long ts, ErrorCode code, String message) implements Event {

    public ErrorMessage {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public ErrorMessage stamped(long seq, long ts) {
        return new ErrorMessage(id, seq, ts, code, message);
    }
}
