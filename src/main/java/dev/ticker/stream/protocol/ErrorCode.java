package dev.ticker.stream.protocol;

/** The {@code code} of an {@code error} frame. */
public enum ErrorCode {
    /** Malformed JSON, not an object, or a missing or wrong-typed field. */
    BAD_REQUEST,
    /** A JSON object whose {@code type} is not one the server knows. */
    UNKNOWN_TYPE,
    /** A request for a symbol the market does not trade. */
    UNKNOWN_SYMBOL,
    /** More requests per second than {@code limits.maxMessagesPerSecond}; the request was dropped. */
    RATE_LIMITED,
    /**
     * A frame larger than {@code limits.maxMessageBytes}. Never sent as an error frame: the server
     * closes the connection with 1009 instead.
     */
    MESSAGE_TOO_BIG
}
