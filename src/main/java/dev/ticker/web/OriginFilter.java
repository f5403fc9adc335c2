package dev.ticker.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;

/**
 * Refuses WebSocket handshakes from foreign web pages with HTTP 403, before any upgrade. A browser
 * sends {@code Origin} on every WebSocket handshake, and cookies with it, so without this check any
 * site a user visits could open the stream in their name (cross-site WebSocket hijacking).
 * Allowed: no {@code Origin} at all (not a browser), the host the request was sent to, and the
 * origins in {@code ticker.allowedOrigins}.
 *
 * <p>A servlet filter rather than {@code Configurator.checkOrigin}: that method is not given the
 * request's {@code Host}, so it cannot tell "same host" from "foreign".
 */
public class OriginFilter extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(OriginFilter.class.getName());

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String origin = request.getHeader("Origin");
        TickerRuntime runtime = TickerContextListener.runtime(request.getServletContext());
        if (origin == null || allowed(origin, request.getHeader("Host"), runtime.settings().allowedOrigins())) {
            chain.doFilter(request, response);
            return;
        }
        runtime.refusals().count(Refusals.Reason.ORIGIN);
        LOG.fine(() -> "refused handshake from origin " + Texts.forLog(origin) + " to host "
                + Texts.forLog(request.getHeader("Host")));
        Texts.refuse(response, HttpServletResponse.SC_FORBIDDEN, "This page's origin is not allowed to open this stream."
                + " The server's operator can allow it with ticker.allowedOrigins.");
    }

    /** The decision, apart from the servlet API so it can be tested on its own. */
    static boolean allowed(String origin, String host, List<String> allowedOrigins) {
        if (allowedOrigins.contains("*")) {
            return true;
        }
        if (!isOrigin(origin)) {
            return false;       // "null" (sandboxed frames, file: pages) and garbage
        }
        String normalized = normalize(origin);
        if (allowedOrigins.contains(normalized)) {
            return true;
        }
        return host != null && authority(normalized).equals(hostAuthority(host));
    }

    /** True for {@code scheme://host[:port]} with an http(s) scheme and nothing after it. */
    static boolean isOrigin(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme();
            return scheme != null && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    && uri.getHost() != null && uri.getUserInfo() == null
                    && (uri.getRawPath() == null || uri.getRawPath().isEmpty())
                    && uri.getRawQuery() == null && uri.getRawFragment() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Lower case, default port dropped: {@code HTTPS://Example.com:443} is {@code https://example.com}. */
    static String normalize(String origin) {
        URI uri = URI.create(origin.trim());
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    /** {@code host[:port]} of a normalized origin. */
    private static String authority(String normalizedOrigin) {
        return normalizedOrigin.substring(normalizedOrigin.indexOf("://") + 3);
    }

    /**
     * {@code host[:port]} of a Host header, with 80 and 443 dropped: behind a TLS proxy the Host
     * header rarely says which default port the browser used.
     */
    private static String hostAuthority(String host) {
        String value = host.trim().toLowerCase(Locale.ROOT);
        if (value.endsWith(":80")) {
            return value.substring(0, value.length() - 3);
        }
        if (value.endsWith(":443")) {
            return value.substring(0, value.length() - 4);
        }
        return value;
    }
}
