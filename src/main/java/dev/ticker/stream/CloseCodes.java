package dev.ticker.stream;

/**
 * The close codes the server uses: standard ones (RFC 6455) and its own (4000-4999). Every
 * transport tells the client the same code: a WebSocket in its close frame, Server-Sent Events in
 * the stream's final {@code close} event.
 */
public final class CloseCodes {

    /** The server is going down or being redeployed. */
    public static final int GOING_AWAY = 1001;

    /** A frame of a kind the protocol does not accept (binary). */
    public static final int CANNOT_ACCEPT = 1003;

    /** A request that is not valid UTF-8 (on a WebSocket the container closes such a frame itself). */
    public static final int INVALID_TEXT = 1007;

    /** A limit was broken: request floods, too many unanswered replies, not admitted, idle. */
    public static final int VIOLATED_POLICY = 1008;

    /** A request over {@code maxMessageBytes}. */
    public static final int TOO_BIG = 1009;

    /** Sending failed: the connection is of no further use. */
    public static final int UNEXPECTED_CONDITION = 1011;

    /** The market started over (cluster mode): connect again for a fresh snapshot. */
    public static final int SERVICE_RESTART = 1012;

    /** This node cannot serve the market right now (cluster mode): connect again, elsewhere or later. */
    public static final int TRY_AGAIN_LATER = 1013;

    /** The client did not read its frames: a send was stuck longer than {@code sendTimeoutMillis}. */
    public static final int SLOW_CONSUMER = 4002;

    /** The client did not answer a ping within {@code pongTimeoutMillis}: it is gone or hung. */
    public static final int PONG_TIMEOUT = 4003;

    private CloseCodes() {
    }
}
