package dev.ticker.stream;

/**
 * Why the server ends a connection: one of the {@link CloseCodes} and a short reason for people
 * (at most 123 bytes of UTF-8, what a WebSocket close frame holds).
 */
public record Close(int code, String reason) {
}
