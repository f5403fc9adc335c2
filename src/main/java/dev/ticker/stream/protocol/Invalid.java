package dev.ticker.stream.protocol;

import jakarta.json.JsonValue;

/**
 * A client frame that is not a valid command: malformed JSON, an unknown type, a missing or
 * wrong-typed field, or a frame over the size limit. Carries what the error reply needs.
 */
public record Invalid(JsonValue id, ErrorCode code, String message) implements Command {
}
