package dev.ticker.web;

import dev.ticker.history.Bars;
import dev.ticker.stream.protocol.CommandDecoder;
import dev.ticker.stream.protocol.ErrorCode;
import dev.ticker.stream.protocol.HistoryEncoder;
import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /ticker/api/history?symbol=AAPL[&session=previous]}: a symbol's one-minute bars of
 * the current (or previous) session, the same object as the stream's {@code history} reply
 * without its envelope (see {@link HistoryEncoder}). The stream's rules apply: the token when one
 * is set, and its request rate, per client address (429 past it). Cacheable: an
 * {@code ETag} of the content (a repeated request answers 304), kept for a second while the
 * session trades and for a closed period's length once it is the previous one; by shared caches
 * too unless a token is required. Errors are JSON,
 * {@code {"code":"UNKNOWN_SYMBOL","message":"unknown symbol 'XYZ'"}}, with 400, 404 or 429.
 */
public class HistoryServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final JsonGeneratorFactory JSON = Json.createGeneratorFactory(Map.of());

    private transient AddressLimits limits;

    @Override
    public void init() {
        TickerRuntime runtime = TickerContextListener.runtime(getServletContext());
        limits = new AddressLimits(runtime.settings().stream().maxMessagesPerSecond(), runtime.settings().stream().maxMessageBurst());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        TickerRuntime runtime = TickerContextListener.runtime(getServletContext());
        response.setCharacterEncoding("UTF-8");
        response.setContentType("application/json");
        if (!limits.allow(request.getRemoteAddr(), runtime.time().monotonicMillis())) {
            response.setHeader("Retry-After", "1");
            error(response, 429, ErrorCode.RATE_LIMITED, "more than " + runtime.settings().stream().maxMessagesPerSecond()
                    + " requests per second from this address");
            return;
        }
        String[] symbols = request.getParameterValues("symbol");
        if (symbols == null || symbols.length != 1 || symbols[0].isBlank()
                || symbols[0].length() > CommandDecoder.MAX_SYMBOL_LENGTH) {
            error(response, 400, ErrorCode.BAD_REQUEST, "parameter 'symbol' must be given once, 1 to "
                    + CommandDecoder.MAX_SYMBOL_LENGTH + " characters");
            return;
        }
        String[] sessions = request.getParameterValues("session");
        boolean previous = sessions != null && sessions.length == 1 && sessions[0].equals("previous");
        if (sessions != null && !previous && !(sessions.length == 1 && sessions[0].equals("current"))) {
            error(response, 400, ErrorCode.BAD_REQUEST, "parameter 'session' must be 'current' or 'previous'");
            return;
        }
        String symbol = symbols[0].trim().toUpperCase(Locale.ROOT);
        int index = runtime.bars().universe().indexOf(symbol);
        if (index < 0) {
            error(response, 404, ErrorCode.UNKNOWN_SYMBOL, "unknown symbol " + CommandDecoder.quote(symbol));
            return;
        }
        Bars bars = runtime.bars().bars(index, previous, runtime.time().epochMillis());
        StringWriter body = new StringWriter(64 + 48 * bars.size());
        try (JsonGenerator json = JSON.createGenerator(body)) {
            json.writeStartObject();
            HistoryEncoder.fields(json, bars);
            json.writeEnd();
        }
        String etag = "\"" + bars.session() + "-" + bars.size() + "-" + Integer.toHexString(Arrays.hashCode(bars.values())) + "\"";
        long keepSeconds = previous
                ? Math.max(1, (runtime.bars().calendar().closedMinutes() * 60L) / Math.max(1, (long) runtime.bars().calendar().timeScale()))
                : 1;
        response.setHeader("ETag", etag);
        // Behind a token, no shared cache may keep it: it would hand it to requests without one.
        response.setHeader("Cache-Control", (runtime.settings().authRequired() ? "private" : "public") + ", max-age=" + keepSeconds);
        response.setHeader("Vary", "Authorization");
        if (etag.equals(request.getHeader("If-None-Match"))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.getWriter().write(body.toString());
    }

    private static void error(HttpServletResponse response, int status, ErrorCode code, String message) throws IOException {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        try (JsonGenerator json = JSON.createGenerator(response.getWriter())) {
            json.writeStartObject().write("code", code.name()).write("message", message).writeEnd();
        }
    }
}
