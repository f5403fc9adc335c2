package dev.ticker.web;

import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /health/live} and {@code GET /health/ready}: the probes of Kubernetes and of load
 * balancers, in the MicroProfile Health JSON shape, with no MicroProfile runtime needed; 200 when
 * UP, 503 when DOWN. {@link Probes} says what each judges.
 * <pre>{@code
 * {"status":"UP","checks":[
 *   {"name":"feed","status":"UP","data":{"role":"standalone","ticksProduced":48211}},
 *   {"name":"flush","status":"UP","data":{"msSinceFlush":12,"stalledAfterMs":2000}}]}
 * }</pre>
 * Before the app has started and once it is stopping, both answer DOWN with no checks.
 */
public class ProbeServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final JsonGeneratorFactory JSON = Json.createGeneratorFactory(Map.of());

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean live = request.getServletPath().endsWith("/live");
        TickerRuntime runtime = TickerContextListener.runningOrNull(getServletContext());
        List<Probes.Check> checks = List.of();
        if (runtime != null) {
            Probes.Vitals vitals = Probes.Vitals.of(runtime);
            checks = live ? Probes.live(vitals) : Probes.ready(vitals);
        }
        boolean up = runtime != null && Probes.up(checks);
        response.setStatus(up ? HttpServletResponse.SC_OK : HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        try (JsonGenerator json = JSON.createGenerator(response.getWriter())) {
            json.writeStartObject().write("status", up ? "UP" : "DOWN").writeStartArray("checks");
            for (Probes.Check check : checks) {
                json.writeStartObject().write("name", check.name()).write("status", check.up() ? "UP" : "DOWN");
                json.writeStartObject("data");
                check.data().forEach((key, value) -> {
                    if (value instanceof Number number) {
                        json.write(key, number.longValue());
                    } else if (value instanceof Boolean flag) {
                        json.write(key, flag);
                    } else {
                        json.write(key, String.valueOf(value));
                    }
                });
                json.writeEnd().writeEnd();
            }
            json.writeEnd().writeEnd();
        }
    }
}
