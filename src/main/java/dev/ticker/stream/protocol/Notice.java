package dev.ticker.stream.protocol;

import java.util.Objects;

/**
 * Tells a client that the server is going away ({@code reason} {@code draining}: it is being
 * undeployed or was asked to drain) and when it will close this connection with 1001
 * ({@code closesAt}, epoch ms), the drain spreading its closes over {@code drainMs}. The client
 * may connect again at once (elsewhere: this server refuses new handshakes while it drains), or
 * wait for the close.
 */
public record Notice(long seq, long ts, String reason, long closesAt, long drainMs, String message) implements Event {

    public static final String DRAINING = "draining";

    public Notice {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public Notice stamped(long seq, long ts) {
        return new Notice(seq, ts, reason, closesAt, drainMs, message);
    }
}
