package dev.ticker.stream.protocol;

/** Why a symbol in a subscribe request was not subscribed. */
public enum RejectCode {
    /** The market does not trade this symbol. */
    UNKNOWN_SYMBOL,
    /** Subscribing it would exceed {@code limits.maxSymbols} for this connection. */
    SYMBOL_LIMIT
}
