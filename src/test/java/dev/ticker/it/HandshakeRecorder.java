package dev.ticker.it;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.HandshakeResponse;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Records the last handshake a {@link QuoteClient} made: the request headers it sent (among them
 * {@code Sec-WebSocket-Key}) and the headers of the server's 101 response.
 */
public class HandshakeRecorder extends ClientEndpointConfig.Configurator {

    /** Request and response headers of one handshake, names case-insensitive. */
    record Handshake(Map<String, List<String>> request, Map<String, List<String>> response) {
        String requestHeader(String name) {
            return first(request, name);
        }

        String responseHeader(String name) {
            return first(response, name);
        }

        private static String first(Map<String, List<String>> headers, String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    static final AtomicReference<Handshake> LAST = new AtomicReference<>();

    /**
     * Headers added to every handshake while set. In-process tests without the servlet filters
     * give each handshake an admission ticket this way, as the filter would.
     */
    public static volatile java.util.function.Supplier<Map<String, String>> extraHeaders;
    private final Map<String, List<String>> request = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    @Override
    public void beforeRequest(Map<String, List<String>> headers) {
        java.util.function.Supplier<Map<String, String>> extra = extraHeaders;
        if (extra != null) {
            extra.get().forEach((name, value) -> headers.put(name, List.of(value)));
        }
        request.putAll(headers);
    }

    @Override
    public void afterResponse(HandshakeResponse response) {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(response.getHeaders());
        LAST.set(new Handshake(Collections.unmodifiableMap(new TreeMap<>(request)), Collections.unmodifiableMap(copy)));
    }
}
