package dev.ticker.stream;

import jakarta.websocket.CloseReason;

/** The close codes the server uses, standard (RFC 6455) and its own (4000-4999). */
public final class CloseCodes {

    /** The client did not read its frames: a send was stuck longer than {@code sendTimeoutMillis}. */
    public static final CloseReason.CloseCode SLOW_CONSUMER = CloseReason.CloseCodes.getCloseCode(4002);

    /** The client did not answer a ping within {@code pongTimeoutMillis}: it is gone or hung. */
    public static final CloseReason.CloseCode PONG_TIMEOUT = CloseReason.CloseCodes.getCloseCode(4003);

    private CloseCodes() {
    }
}
