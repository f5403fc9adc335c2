package dev.ticker.stream;

import dev.ticker.stream.websocket.QuoteEndpoint;
import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Set;

/**
 * Publishes the stream's endpoint on a standalone Tyrus server, which takes configuration classes,
 * not instances: the hub of the test that starts the server reaches it through {@link #hub}.
 */
public class HubEndpoints implements ServerApplicationConfig {

    static volatile QuoteHub hub;

    @Override
    public Set<ServerEndpointConfig> getEndpointConfigs(Set<Class<? extends Endpoint>> scanned) {
        return Set.of(QuoteEndpoint.config(hub));
    }

    @Override
    public Set<Class<?>> getAnnotatedEndpointClasses(Set<Class<?>> scanned) {
        return Set.of();
    }
}
