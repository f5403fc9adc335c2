package dev.ticker.stream.protocol;

import jakarta.json.JsonValue;

/**
 * A frame from the client, as decoded by {@link CommandDecoder}. A frame that is not a valid
 * command still decodes, to {@link Invalid}, so that the reply can echo its {@code id}.
 */
public sealed interface Command permits Subscribe, Unsubscribe, Ping, HistoryRequest, Invalid {

    /** The request's {@code id}, a JSON string or number, or {@code null} if it had none. */
    JsonValue id();
}
