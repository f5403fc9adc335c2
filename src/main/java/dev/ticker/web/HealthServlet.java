package dev.ticker.web;

import dev.ticker.market.SourceStatus;
import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * {@code GET /health}: whether the feed runs, and a few counters, for load balancers and people.
 * <pre>{@code
 * {"status":"UP","build":{"version":"1.0.0","commit":"2aee8a1","dirty":false},"sessions":3,"symbols":30,"ticksProduced":48211,"uptimeMs":120345,"feedRunning":true,
 *  "msSinceFlush":12,"seed":42,"draining":false,"role":"standalone",
 *  "refusedOrigins":0,"refusedHandshakes":{"origin":0,"token":0,"address":2,"capacity":0,"unavailable":0},
 *  "closedByServer":{"1008":1,"4002":2}}
 * }</pre>
 * {@code refusedHandshakes} counts handshakes refused before the upgrade, by reason (403, 401, 429,
 * 503), {@code refusedOrigins} the first of them (kept for clients of earlier versions);
 * {@code closedByServer} counts the connections the server closed, by close code. {@code role} is
 * {@code standalone}, or in cluster mode {@code leader} or {@code follower}, and then a
 * {@code cluster} object follows it:
 * <pre>{@code
 * "cluster":{"node":"n1","term":3,"leaderChanges":1,"fencedWrites":0,"resnapshots":1,"busLagMs":61,"msSinceBrokerRead":210}
 * }</pre> Answers 503 with
 * {@code "status":"DOWN"} if the feed thread has stopped or no flush has completed for
 * {@link dev.ticker.stream.QuoteHub#flushStalledAfterMillis()} (clients would get nothing), and
 * from the moment a drain begins ({@code "draining":true}).
 */
public class HealthServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final JsonGeneratorFactory JSON = Json.createGeneratorFactory(Map.of());

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        TickerRuntime runtime = TickerContextListener.runtime(getServletContext());
        boolean up = runtime.feed().isRunning() && runtime.hub().flushing() && !runtime.hub().draining();
        response.setStatus(up ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        try (JsonGenerator json = JSON.createGenerator(response.getWriter())) {
            json.writeStartObject()
                    .write("status", up ? "UP" : "DOWN")
                    .writeStartObject("build")
                    .write("version", runtime.build().version())
                    .write("commit", runtime.build().commit())
                    .write("dirty", runtime.build().dirty())
                    .writeEnd()
                    .write("sessions", runtime.hub().sessions())
                    .write("symbols", runtime.hub().board().universe().size())
                    .write("ticksProduced", runtime.feed().published())
                    .write("uptimeMs", runtime.time().monotonicMillis() - runtime.startedAt())
                    .write("feedRunning", runtime.feed().isRunning())
                    .write("msSinceFlush", runtime.hub().millisSinceFlush())
                    .write("seed", runtime.feed().market().seed())
                    .write("draining", runtime.hub().draining());
            SourceStatus cluster = runtime.feed().status();
            json.write("role", cluster.role());
            if (!cluster.node().isEmpty()) {
                json.writeStartObject("cluster")
                        .write("node", cluster.node())
                        .write("term", cluster.term())
                        .write("leaderChanges", cluster.leaderChanges())
                        .write("fencedWrites", cluster.fencedWrites())
                        .write("resnapshots", cluster.resnapshots())
                        .write("busLagMs", cluster.busLagMillis())
                        .write("msSinceBrokerRead", cluster.sinceReadMillis())
                        .writeEnd();
            }
            json
                    .write("refusedOrigins", runtime.refusals().get(Refusals.Reason.ORIGIN))
                    .writeStartObject("refusedHandshakes");
            for (Refusals.Reason reason : Refusals.Reason.values()) {
                json.write(reason.label(), runtime.refusals().get(reason));
            }
            json.writeEnd().writeStartObject("closedByServer");
            runtime.hub().closesByCode().forEach((code, count) -> json.write(String.valueOf(code), count));
            json.writeEnd().writeEnd();
        }
    }
}
