package dev.ticker.stream.protocol;

/** One symbol of a subscribe request that was not subscribed, and why. */
public record Rejection(String symbol, RejectCode code) {
}
