package dev.ticker.stream.protocol;

import jakarta.json.JsonValue;

/**
 * {@code {"type":"history","id":7,"symbol":"AAPL","session":"previous"}}: asks for a symbol's
 * one-minute bars of the current session ({@code session} omitted or {@code "current"}) or the
 * previous one, answered by a {@link History}.
 */
public record HistoryRequest(JsonValue id, String symbol, boolean previous) implements Command {
}
