package dev.ticker.stream.websocket;

import dev.ticker.stream.Close;
import dev.ticker.stream.CloseCodes;
import dev.ticker.stream.Connection;
import dev.ticker.stream.QuoteHub;
import dev.ticker.stream.protocol.Command;
import dev.ticker.stream.protocol.CommandDecoder;
import dev.ticker.stream.protocol.ErrorMessageEncoder;
import dev.ticker.stream.protocol.HeartbeatEncoder;
import dev.ticker.stream.protocol.NoticeEncoder;
import dev.ticker.stream.protocol.HistoryEncoder;
import dev.ticker.stream.protocol.MarketStateEncoder;
import dev.ticker.stream.protocol.PongEncoder;
import dev.ticker.stream.protocol.SnapshotEncoder;
import dev.ticker.stream.protocol.SubscribedEncoder;
import dev.ticker.stream.protocol.TicksEncoder;
import dev.ticker.stream.protocol.UnsubscribedEncoder;
import dev.ticker.stream.protocol.WelcomeEncoder;
import jakarta.servlet.ServletContext;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The quote stream, protocol {@code ticker.v1} (or its binary variant, {@code ticker.v1.binary},
 * where the client offers it first), at {@code /ws/quotes}. One instance per
 * connection; it only hands each event to the {@link QuoteHub}. A programmatic endpoint, so that
 * the composition root registers it with the hub of its deployment ({@link #config}) instead of
 * the container creating it with no way to find the hub but a static.
 */
public final class QuoteEndpoint extends Endpoint {

    /** Path of the endpoint below the context root. */
    public static final String PATH = "/ws/quotes";

    private static final Logger LOG = Logger.getLogger(QuoteEndpoint.class.getName());

    private final QuoteHub hub;
    private Connection connection;

    private static final Close BINARY = new Close(CloseCodes.CANNOT_ACCEPT, "binary frames are not accepted; send JSON text");

    QuoteEndpoint(QuoteHub hub) {
        this.hub = hub;
    }

    /**
     * The endpoint's configuration for {@code ServerContainer.addEndpoint}: its path,
     * subprotocol, codecs, the largest request the decoder accepts, and a configurator that hands
     * every new endpoint {@code hub}.
     */
    public static ServerEndpointConfig config(QuoteHub hub) {
        ServerEndpointConfig config = ServerEndpointConfig.Builder.create(QuoteEndpoint.class, PATH)
                .subprotocols(List.of(QuoteHub.PROTOCOL, QuoteHub.BINARY_PROTOCOL))
                .decoders(List.of(CommandDecoder.class))
                .encoders(List.of(WelcomeEncoder.class, SubscribedEncoder.class, UnsubscribedEncoder.class,
                        SnapshotEncoder.class, TicksEncoder.class, HeartbeatEncoder.class, PongEncoder.class,
                        ErrorMessageEncoder.class, MarketStateEncoder.class, HistoryEncoder.class, NoticeEncoder.class))
                .configurator(new QuoteEndpointConfigurator(hub))
                .build();
        config.getUserProperties().put(CommandDecoder.MAX_BYTES_PROPERTY, hub.config().maxMessageBytes());
        return config;
    }

    /** Publishes the stream's endpoint in {@code context}'s WebSocket container, with {@code hub} in its configurator. */
    public static void register(ServletContext context, QuoteHub hub) {
        ServerContainer container = (ServerContainer) context.getAttribute(ServerContainer.class.getName());
        if (container == null) {
            throw new IllegalStateException("this server offers no WebSocket container (Jakarta WebSocket 2.1 is required)");
        }
        try {
            container.addEndpoint(config(hub));
        } catch (DeploymentException e) {
            throw new IllegalStateException("the stream's endpoint could not be published: " + e.getMessage(), e);
        }
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        WebSocketTransport transport = new WebSocketTransport(session, hub.config().maxMessageBytes(),
                hub.config().sendTimeoutMillis());
        // Every request to the stream's path is counted (and refused over a limit) before the
        // upgrade, and its ticket comes along (see QuoteEndpointConfigurator).
        connection = hub.open(transport, session.getUserProperties().get(QuoteEndpointConfigurator.TICKET_PROPERTY));
        // Containers deliver nothing before onOpen returns, so no message can miss its handler.
        // The size limit of every message is the session's buffer size, which the transport sets,
        // and the decoder's own check.
        session.addMessageHandler(Command.class, command -> hub.handle(connection, command));
        session.addMessageHandler(ByteBuffer.class, ignored -> hub.close(connection, BINARY));
        session.addMessageHandler(PongMessage.class, pong -> hub.pong(connection, pong.getApplicationData()));
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        if (connection != null) {
            hub.closed(connection);
        }
    }

    @Override
    public void onError(Session session, Throwable error) {
        // Clients vanishing mid-frame are routine; the close that follows cleans up.
        LOG.log(Level.FINE, "session " + session.getId() + ": " + error, error);
    }
}
