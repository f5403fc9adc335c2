package dev.ticker.stream;

import dev.ticker.stream.protocol.Event;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/**
 * How frames reach one client: the only part of the stream that knows whether it is a WebSocket
 * or a Server-Sent Events response. The hub and {@link Connection} call it under one rule: at most
 * one {@link #send} or {@link #ping} in flight, never two threads at once, and nothing after
 * {@link #close}.
 */
public interface Transport {

    /** A name for logs. */
    String id();

    /**
     * Hands one frame to the client without blocking. {@code done} runs once, with null when the
     * frame was written or with the failure, on any thread, possibly this one before this returns.
     */
    void send(Event frame, Consumer<Throwable> done);

    /**
     * Whether the transport can ping the client and read its pong. Where it cannot (Server-Sent
     * Events), a vanished client is found by its writes failing or sticking, which heartbeats
     * make sure happen.
     */
    boolean pings();

    /**
     * Whether the connection can still be served while its app is being undeployed, so that an
     * undeploy's drain may keep it open for a while. A WebSocket can: the container hands it over
     * at the upgrade. An event stream cannot everywhere: it is a response written through the
     * servlet container, which may stop serving the app as the undeploy begins.
     */
    default boolean servedWhileUndeploying() {
        return true;
    }

    /** Writes a ping carrying {@code payload}; may block until it is written (Tomcat's does). */
    void ping(ByteBuffer payload) throws IOException;

    /**
     * Ends the connection, telling the client why if it can. Called once, never on the flush
     * thread: it may block on a client that does not read.
     */
    void close(Close close);
}
