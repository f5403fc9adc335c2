package dev.ticker.stream;

import jakarta.websocket.Extension;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.List;

/**
 * Keeps permessage-deflate off unless {@code ticker.permessageDeflate} turns it on. Some
 * containers (Tomcat) negotiate it whenever a client offers it, and browsers always offer it; it
 * costs a {@code Deflater} per connection, with its native window memory, and CPU on every frame,
 * and a ticks frame is already small JSON. Everything else is the container's default handshake.
 */
public class QuoteEndpointConfigurator extends ServerEndpointConfig.Configurator {

    @Override
    public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
        QuoteHub hub = QuoteHub.installedOrNull();
        if (hub == null || !hub.config().permessageDeflate()) {
            return List.of();
        }
        return super.getNegotiatedExtensions(installed, requested);
    }
}
