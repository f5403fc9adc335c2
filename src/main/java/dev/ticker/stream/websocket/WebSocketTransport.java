package dev.ticker.stream.websocket;

import dev.ticker.stream.Close;
import dev.ticker.stream.QuoteHub;
import dev.ticker.stream.Transport;
import dev.ticker.stream.protocol.Event;
import dev.ticker.stream.protocol.FrameBytes;
import jakarta.websocket.CloseReason;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A connection's frames as WebSocket messages on its {@link Session}: text messages encoded by the
 * endpoint's encoders, or, where the client chose {@value QuoteHub#BINARY_PROTOCOL}, binary
 * messages carrying the same JSON as UTF-8 ({@link FrameBytes}).
 */
final class WebSocketTransport implements Transport {

    private static final Logger LOG = Logger.getLogger(WebSocketTransport.class.getName());
    /** How long a close frame the client does not answer keeps its connection, where the container lets us say. */
    static final int CLOSE_WAIT_MILLIS = 1_000;

    private final Session session;
    private final boolean binary;

    /**
     * The transport of a session that just opened. Sets its limits: containers that honour them
     * close frames over {@code maxMessageBytes} with 1009 before buffering them.
     */
    WebSocketTransport(Session session, int maxMessageBytes, long sendTimeoutMillis) {
        this.session = session;
        this.binary = QuoteHub.BINARY_PROTOCOL.equals(session.getNegotiatedSubprotocol());
        session.setMaxTextMessageBufferSize(maxMessageBytes);
        session.setMaxBinaryMessageBufferSize(maxMessageBytes);
        // Tomcat only (others ignore them): its blocking writes (pings, closes with 1000) give up
        // after the send timeout instead of 20 s, and a close frame the client never answers ends
        // the connection after CLOSE_WAIT_MILLIS instead of 30 s (checked every 10 s).
        session.getUserProperties().put("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT", sendTimeoutMillis);
        session.getUserProperties().put("org.apache.tomcat.websocket.SESSION_CLOSE_TIMEOUT", (long) CLOSE_WAIT_MILLIS);
    }

    @Override
    public String id() {
        return session.getId();
    }

    @Override
    public void send(Event frame, Consumer<Throwable> done) {
        SendHandler handler = result -> done.accept(result.isOK() ? null
                : result.getException() != null ? result.getException() : new IOException("send failed"));
        if (binary) {
            // The text path hands the container a String to encode per connection; this one hands
            // it bytes, the quotes among them encoded once per flush for every connection.
            session.getAsyncRemote().sendBinary(ByteBuffer.wrap(FrameBytes.of(frame)), handler);
        } else {
            session.getAsyncRemote().sendObject(frame, handler);
        }
    }

    @Override
    public boolean pings() {
        return true;
    }

    @Override
    public void ping(ByteBuffer payload) throws IOException {
        session.getAsyncRemote().sendPing(payload);
    }

    @Override
    public void close(Close close) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(close.code()), close.reason()));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "closing " + session.getId() + " failed", e);
        }
        try {
            // Undertow (WildFly) waits for the client's answer to the close frame for as long as the
            // connection may stay idle, which is for ever by default: then it drops the socket. Only
            // after the close: Tyrus (Payara, GlassFish) closes an idle session with 1000 itself, and
            // a timer set before a close frame that is slow to go out could send that one first.
            session.setMaxIdleTimeout(CLOSE_WAIT_MILLIS);
        } catch (RuntimeException alreadyClosed) {
            LOG.log(Level.FINE, "closed " + session.getId() + ": no idle timeout", alreadyClosed);
        }
    }
}
