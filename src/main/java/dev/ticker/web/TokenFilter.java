package dev.ticker.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Optional token auth for the stream: when {@code ticker.authToken} is set, every request to the
 * stream's path ({@code /ws/*}, whatever its {@code Upgrade} header says) must carry it, as {@code Authorization: Bearer <token>} (any client that can set headers) or as the query
 * parameter {@code token} (browsers cannot set headers on a WebSocket; the page passes on the
 * {@code token} of its own URL), else HTTP 401 before any upgrade. Off by default.
 *
 * <p>The comparison takes the same time however much of the token matches. A token in a URL can end
 * up in access logs and browser history: deployments that mind put the stream behind TLS and a
 * proxy that strips or masks the query string from its logs (docs/operations.md).
 */
public class TokenFilter extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        TickerRuntime runtime = TickerContextListener.runtime(request.getServletContext());
        if (!runtime.settings().authRequired()) {
            chain.doFilter(request, response);
            return;
        }
        if (matches(presented(request), runtime.settings().authToken())) {
            chain.doFilter(request, response);
            return;
        }
        runtime.refusals().count(Refusals.Reason.TOKEN);
        response.setHeader("WWW-Authenticate", "Bearer realm=\"ticker\"");
        Texts.refuse(response, HttpServletResponse.SC_UNAUTHORIZED,
                "This stream needs a token: ?token=... on the URL, or an Authorization: Bearer header.");
    }

    /** The token the request carries, or null. Read from the raw query: no request parameter parsing. */
    static String presented(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return fromQuery(request.getQueryString());
    }

    /** The value of {@code token} in a raw query string, or null. */
    static String fromQuery(String query) {
        if (query == null || query.length() > 4096) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("token=")) {
                try {
                    return URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Constant-time comparison. */
    static boolean matches(String presented, String expected) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
