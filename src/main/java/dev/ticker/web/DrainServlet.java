package dev.ticker.web;

import jakarta.json.Json;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.logging.Logger;

/**
 * {@code POST /admin/drain}: takes the node out of service before it is stopped (a Kubernetes
 * {@code preStop} hook, a rolling update). Readiness goes DOWN and new handshakes get 503 at once;
 * every client gets a {@code notice} with the time of its close, and the closes (1001) are spread
 * over {@code ticker.drainMillis}. Answers 202:
 * <pre>{@code
 * {"status":"draining","sessions":120,"drainMs":5000,"closesBy":1763712005000}
 * }</pre>
 * A second request changes nothing and answers the same. When {@code ticker.authToken} is set the
 * request must carry it (the token filter stands in front); without one, only a request from the
 * node itself (loopback) may drain it, as anyone could otherwise take the node out.
 */
public class DrainServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(DrainServlet.class.getName());
    private static final JsonGeneratorFactory JSON = Json.createGeneratorFactory(Map.of());

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        TickerRuntime runtime = TickerContextListener.runtime(getServletContext());
        if (!runtime.settings().authRequired() && !loopback(request.getRemoteAddr())) {
            Texts.refuse(response, HttpServletResponse.SC_FORBIDDEN,
                    "Draining is allowed from this host only, unless ticker.authToken is set (then with the token).");
            return;
        }
        int sessions = runtime.hub().sessions();
        long closesBy = runtime.hub().drain(runtime.settings().drainMillis());
        LOG.info(() -> "drain requested by " + Texts.forLog(request.getRemoteAddr()));
        response.setStatus(HttpServletResponse.SC_ACCEPTED);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        try (JsonGenerator json = JSON.createGenerator(response.getWriter())) {
            json.writeStartObject()
                    .write("status", "draining")
                    .write("sessions", sessions)
                    .write("drainMs", runtime.settings().drainMillis())
                    .write("closesBy", closesBy)
                    .writeEnd();
        }
    }

    private static boolean loopback(String address) {
        try {
            // A literal address: no name lookup happens.
            return address != null && address.matches("[0-9A-Fa-f:.%]+") && InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
