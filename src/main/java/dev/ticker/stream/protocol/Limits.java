package dev.ticker.stream.protocol;

/** The per-connection limits announced in {@link Welcome}. */
public record Limits(int maxSymbols, int maxMessageBytes, int maxMessagesPerSecond) {
}
