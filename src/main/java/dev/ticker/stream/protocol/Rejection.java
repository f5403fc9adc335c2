package dev.ticker.stream.protocol;

import java.util.Objects;

/** One symbol of a subscribe request that was not subscribed, and why. */
public record Rejection(String symbol, RejectCode code) {
    public Rejection {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(code, "code");
    }
}
