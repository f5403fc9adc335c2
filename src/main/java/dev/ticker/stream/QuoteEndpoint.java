package dev.ticker.stream;

import dev.ticker.stream.protocol.Command;
import dev.ticker.stream.protocol.CommandDecoder;
import dev.ticker.stream.protocol.ErrorMessageEncoder;
import dev.ticker.stream.protocol.HeartbeatEncoder;
import dev.ticker.stream.protocol.PongEncoder;
import dev.ticker.stream.protocol.SnapshotEncoder;
import dev.ticker.stream.protocol.SubscribedEncoder;
import dev.ticker.stream.protocol.TicksEncoder;
import dev.ticker.stream.protocol.UnsubscribedEncoder;
import dev.ticker.stream.protocol.WelcomeEncoder;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The quote stream, protocol {@code ticker.v1}, at {@code /ws/quotes}. One instance per
 * connection; it only hands each event to the {@link QuoteHub}.
 */
@ServerEndpoint(
        value = QuoteEndpoint.PATH,
        subprotocols = QuoteHub.PROTOCOL,
        configurator = QuoteEndpointConfigurator.class,
        decoders = CommandDecoder.class,
        encoders = {
            WelcomeEncoder.class, SubscribedEncoder.class, UnsubscribedEncoder.class, SnapshotEncoder.class,
            TicksEncoder.class, HeartbeatEncoder.class, PongEncoder.class, ErrorMessageEncoder.class
        })
public class QuoteEndpoint {

    /** Path of the endpoint below the context root. */
    public static final String PATH = "/ws/quotes";

    private static final Logger LOG = Logger.getLogger(QuoteEndpoint.class.getName());

    private final QuoteHub hub = QuoteHub.installed();
    private Connection connection;

    @OnOpen
    public void open(Session session) {
        connection = hub.open(session);
    }

    // The ceiling is for containers that only enforce the annotation (Tyrus); the configured,
    // lower limit is enforced by the session buffer size and by the decoder.
    @OnMessage(maxMessageSize = StreamConfig.MAX_MESSAGE_BYTES_CEILING)
    public void request(Command command) {
        hub.handle(connection, command);
    }

    @OnMessage(maxMessageSize = StreamConfig.MAX_MESSAGE_BYTES_CEILING)
    public void binary(ByteBuffer ignored) {
        hub.binary(connection);
    }

    @OnMessage
    public void pong(PongMessage pong) {
        hub.pong(connection, pong.getApplicationData());
    }

    @OnClose
    public void close() {
        if (connection != null) {
            hub.closed(connection);
        }
    }

    @OnError
    public void error(Session session, Throwable error) {
        // Clients vanishing mid-frame are routine; the close that follows cleans up.
        LOG.log(Level.FINE, "session " + session.getId() + ": " + error, error);
    }
}
