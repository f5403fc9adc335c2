package dev.ticker.web;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /metrics}: the app's {@link Metrics} in the Prometheus text format (0.0.4), written by
 * the Prometheus client's own writer. For example:
 * <pre>{@code
 * # HELP ticker_sessions Open WebSocket connections
 * # TYPE ticker_sessions gauge
 * ticker_sessions 3.0
 * # HELP ticker_frames_sent_total Frames handed to the container, by type
 * # TYPE ticker_frames_sent_total counter
 * ticker_frames_sent_total{type="ticks"} 48211.0
 * }</pre>
 * Like {@code /health}, it says nothing a client could use against the server, but operators who
 * want it private map it away from the public (docs/operations.md).
 */
public class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final PrometheusTextFormatWriter WRITER = PrometheusTextFormatWriter.create();

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        TickerRuntime runtime = TickerContextListener.runtime(getServletContext());
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(PrometheusTextFormatWriter.CONTENT_TYPE);
        response.setHeader("Cache-Control", "no-store");
        WRITER.write(response.getOutputStream(), runtime.metrics().registry().scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
    }
}
