package dev.ticker.stream.websocket;

import dev.ticker.stream.Admission;
import dev.ticker.stream.QuoteHub;
import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;
import java.util.Map;

/**
 * The stream's handshake, beyond the container's default:
 * <ul>
 * <li>Makes each connection's {@link QuoteEndpoint} with the hub of its deployment.</li>
 * <li>Picks the first subprotocol of the client's offer that the stream speaks, as the
 *     specification's default says, written out so that the variant a client gets is the one it
 *     prefers on every container.</li>
 * <li>Keeps permessage-deflate off unless {@code ticker.permessageDeflate} turns it on. Some
 *     containers (Tomcat) negotiate it whenever a client offers it, and browsers always offer it;
 *     it costs a {@code Deflater} per connection, with its native window memory, and CPU on every
 *     frame, and a ticks frame is already small JSON.</li>
 * <li>Hands the connection's {@link Admission} ticket, which the admission filter put in the
 *     {@value #TICKET_HEADER} header, to the session: WebSocket 2.1 makes the user properties seen
 *     here a per-connection copy that becomes the session's, the one portable way from the
 *     handshake to {@code @OnOpen}.</li>
 * </ul>
 */
public class QuoteEndpointConfigurator extends ServerEndpointConfig.Configurator {

    /** Session user property (set during the handshake) that names the connection's ticket. */
    static final String TICKET_PROPERTY = "dev.ticker.admission.ticket";

    /** Request header that carries the ticket from the admission filter; a client's own is replaced. */
    public static final String TICKET_HEADER = Admission.TICKET_HEADER;

    private final QuoteHub hub;

    /** The configurator of the endpoints of {@code hub}'s deployment. */
    public QuoteEndpointConfigurator(QuoteHub hub) {
        this.hub = hub;
    }

    /** A new endpoint for each connection, with this deployment's hub. */
    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
        if (endpointClass != QuoteEndpoint.class) {
            throw new InstantiationException("this configurator makes QuoteEndpoints, not " + endpointClass.getName());
        }
        return endpointClass.cast(new QuoteEndpoint(hub));
    }

    @Override
    public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
        for (String offered : requested) {
            if (supported.contains(offered)) {
                return offered;
            }
        }
        return "";
    }

    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        if (!hub.config().permessageDeflate()) {
            return List.of();
        }
        return super.getNegotiatedExtensions(installed, requested);
    }

    @Override
    public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
        super.modifyHandshake(sec, request, response);
        // Header maps differ between containers in how they treat case.
        for (Map.Entry<String, List<String>> header : request.getHeaders().entrySet()) {
            if (header.getKey().equalsIgnoreCase(TICKET_HEADER) && !header.getValue().isEmpty()) {
                sec.getUserProperties().put(TICKET_PROPERTY, header.getValue().get(0));
            }
        }
    }
}
