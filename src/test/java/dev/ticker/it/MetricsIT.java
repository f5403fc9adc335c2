package dev.ticker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.websocket.CloseReason;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code GET /metrics}: Prometheus text format, and the numbers move with what clients do. */
class MetricsIT extends DeployedTicker {

    @Test
    void servesThePrometheusTextFormat() throws Exception {
        HttpResponse<String> response = get();
        assertEquals(200, response.statusCode());
        // Containers write the parameters with or without spaces (Tomcat: "text/plain;version=0.0.4;...").
        String type = response.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase(java.util.Locale.ROOT);
        assertTrue(type.startsWith("text/plain;version=0.0.4"), type);
        String body = response.body();
        // (ticker_connections_closed_total has no sample, and so no lines, until a first close.)
        for (String name : new String[] {"ticker_sessions", "ticker_sessions_admitted", "ticker_subscriptions",
            "ticker_frames_sent_total", "ticker_quotes_sent_total", "ticker_updates_conflated_total",
            "ticker_flush_busy_total", "ticker_flushes_total", "ticker_flush_visits_total", "ticker_send_seconds", "ticker_ticks_produced_total",
            "ticker_handshakes_refused_total", "ticker_pong_round_trip_seconds"}) {
            assertTrue(body.contains("# TYPE " + name.replaceFirst("_total$", "") + " ")
                    || body.contains("# TYPE " + name + " "), () -> name + " missing from\n" + body);
        }
    }

    @Test
    void countsFramesQuotesSendsClosesAndRefusals() throws Exception {
        double welcomes = value("ticker_frames_sent_total\\{type=\"welcome\"\\}");
        double quotes = value("ticker_quotes_sent_total");
        double sends = value("ticker_send_seconds_count");
        double flushes = value("ticker_flushes_total");
        double visits = value("ticker_flush_visits_total");
        double binaryCloses = value("ticker_connections_closed_total\\{code=\"1003\"\\}");
        double origins = value("ticker_handshakes_refused_total\\{reason=\"origin\"\\}");
        try (QuoteClient client = connect()) {
            client.expect("welcome");
            client.send("{\"type\":\"subscribe\",\"symbols\":[\"*\"],\"snapshot\":false}");
            client.awaitType("subscribed");
            client.awaitType("ticks");
            assertTrue(value("ticker_sessions") >= 1);
            assertTrue(value("ticker_subscriptions") >= 1);
        }
        try (QuoteClient client = connect()) {
            client.expect("welcome");
            client.sendBinaryExpectingClose(new byte[] {1});
            assertEquals(CloseReason.CloseCodes.CANNOT_ACCEPT.getCode(), client.awaitClose().getCloseCode().getCode());
        }
        try (RawWebSocket foreign = RawWebSocket.open(stream(), "https://evil.example", 0)) {
            assertTrue(foreign.statusLine().startsWith("HTTP/1.1 403"), foreign.statusLine());
        }
        assertTrue(value("ticker_frames_sent_total\\{type=\"welcome\"\\}") >= welcomes + 2);
        assertTrue(value("ticker_quotes_sent_total") > quotes);
        assertTrue(value("ticker_flushes_total") > flushes);
        assertTrue(value("ticker_flush_visits_total") > visits, "the subscribed client was visited");
        assertTrue(value("ticker_send_seconds_count") > sends);
        assertEquals(binaryCloses + 1, value("ticker_connections_closed_total\\{code=\"1003\"\\}"));
        assertEquals(origins + 1, value("ticker_handshakes_refused_total\\{reason=\"origin\"\\}"));
    }

    @Test
    void timesTheAnswersToThePings() throws Exception {
        double pongs = value("ticker_pong_round_trip_seconds_count");
        long pingMillis = Long.getLong("it.pingMillis", 3000);
        try (QuoteClient client = connect()) {
            client.expect("welcome");
            client.send("{\"type\":\"subscribe\",\"symbols\":[\"AAPL\"],\"snapshot\":false}");
            client.awaitType("subscribed");
            // The client library answers the server's pings by itself; the first comes within one interval.
            long deadline = System.currentTimeMillis() + pingMillis + 10_000;
            while (value("ticker_pong_round_trip_seconds_count") <= pongs && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
        }
        assertTrue(value("ticker_pong_round_trip_seconds_count") > pongs, "no pong was timed");
        assertTrue(value("ticker_pong_round_trip_seconds_bucket\\{le=\"\\+Inf\"\\}") > pongs);
    }

    private HttpResponse<String> get() throws Exception {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(
                HttpRequest.newBuilder(URI.create(base.toExternalForm() + "metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the sample whose name and labels match {@code sample} (a regex), or 0 if absent. */
    private double value(String sample) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + sample + " (\\S+)$").matcher(get().body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
