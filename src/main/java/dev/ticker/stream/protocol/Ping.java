package dev.ticker.stream.protocol;

import jakarta.json.JsonValue;

/** {@code {"type":"ping","id":42}}: asks for a {@link Pong}, to measure round-trip time. */
public record Ping(JsonValue id) implements Command {
}
