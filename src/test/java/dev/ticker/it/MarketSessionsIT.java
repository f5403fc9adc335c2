package dev.ticker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A trading day, sped up: a deployment whose sessions last 3 simulated minutes with 2 closed (3
 * and 2 real seconds at the default time scale), under {@code /ticker-sessions}. A client is told
 * the market's state in {@code welcome} and of every close and open as it happens, sees no trade
 * while the market is closed, and each new session's quotes start from the last session's close.
 * The session's bars come over the stream and over HTTP, alike; bad requests and floods get typed
 * errors on both.
 */
class MarketSessionsIT extends RedeployedTicker {

    static final String SESSIONS = "ticker-sessions";

    @Deployment(name = SESSIONS, managed = false, testable = false)
    static WebArchive sessionsDeployment() {
        return TickerDeployment.withContextParams(SESSIONS, "ticker.sessionMinutes", "390", "3", "ticker.closedMinutes", "60", "2");
    }

    @BeforeEach
    void deploy() {
        deployer.deploy(SESSIONS);
    }

    @AfterEach
    void undeploy() {
        deployer.undeploy(SESSIONS);
    }

    private static String sessionsBase() {
        return httpBase().replace("/ticker/", "/" + SESSIONS + "/");
    }

    private static URI sessionsStream() {
        return URI.create(httpBase().replace("/ticker/", "/" + SESSIONS + "/").replaceFirst("^http", "ws") + "ws/quotes");
    }

    @Test
    void welcomeNamesTheInstrumentsAndTheMarketsState() throws Exception {
        try (QuoteClient client = QuoteClient.connect(sessionsStream())) {
            JsonObject welcome = client.expect("welcome");
            assertEquals("USD", welcome.getString("currency"));
            List<JsonObject> instruments = welcome.getJsonArray("instruments").getValuesAs(JsonObject.class);
            assertEquals(30, instruments.size());
            assertEquals("AAPL", instruments.get(0).getString("symbol"));
            assertEquals("Apple", instruments.get(0).getString("name"));
            assertEquals(QuoteStreamSymbols.strings(welcome, "symbols"), instruments.stream().map(i -> i.getString("symbol")).toList());
            JsonObject market = welcome.getJsonObject("market");
            assertNotNull(market, "market in " + welcome);
            long opensAt = market.getJsonNumber("opensAt").longValue();
            long closesAt = market.getJsonNumber("closesAt").longValue();
            long nextOpensAt = market.getJsonNumber("nextOpensAt").longValue();
            assertEquals(3_000, closesAt - opensAt, "3 simulated minutes at 60x");
            assertEquals(5_000, nextOpensAt - opensAt, "and 2 closed");
            assertEquals(60.0, market.getJsonNumber("timeScale").doubleValue());
            long ts = welcome.getJsonNumber("ts").longValue();
            String state = ts >= opensAt && ts < closesAt ? "open" : "closed";
            // The welcome's ts is taken a moment after its state; only near a boundary can they differ.
            if (Math.min(Math.abs(ts - closesAt), Math.abs(ts - opensAt)) > 200) {
                assertEquals(state, market.getString("state"), welcome::toString);
            }
        }
    }

    @Test
    void theMarketClosesAndReopensAndEachSessionStartsFromTheLastClose() throws Exception {
        List<String> symbols = List.of("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA", "JPM", "V", "KO");
        try (QuoteClient client = QuoteClient.connect(sessionsStream())) {
            JsonObject market = client.expect("welcome").getJsonObject("market");
            client.send("{\"type\":\"subscribe\",\"id\":1,\"symbols\":[\"" + String.join("\",\"", symbols) + "\"]}");
            List<JsonObject> states = new ArrayList<>();
            Map<String, JsonObject> lastOfSession = new HashMap<>();
            Map<String, Long> sessionOf = new HashMap<>();
            int rolled = 0;
            long end = System.nanoTime() + Duration.ofSeconds(16).toNanos();
            while (System.nanoTime() < end) {
                JsonObject frame = client.next();
                switch (frame.getString("type")) {
                    case "market" -> {
                        assertTrue(market.getString("state").equals("open") != frame.getString("state").equals("open")
                                || frame.getJsonNumber("session").longValue() > market.getJsonNumber("session").longValue(),
                                () -> "a market frame that changes nothing: " + frame + " after " + states);
                        market = frame;
                        states.add(frame);
                    }
                    case "snapshot", "ticks" -> {
                        for (JsonValue value : frame.getJsonArray("data")) {
                            JsonObject quote = value.asJsonObject();
                            long ts = quote.getJsonNumber("ts").longValue();
                            long session = sessionAt(market, ts);
                            String symbol = quote.getString("symbol");
                            JsonObject before = lastOfSession.get(symbol);
                            if (before != null && session > sessionOf.get(symbol)) {
                                rolled++;
                                assertEquals(0, price(before, "price").compareTo(price(quote, "prevClose")),
                                        () -> "prevClose of " + quote + " is not the last trade before the close, " + before);
                            }
                            lastOfSession.put(symbol, quote);
                            sessionOf.put(symbol, session);
                        }
                    }
                    default -> { }
                }
            }
            long closes = states.stream().filter(s -> s.getString("state").equals("closed")).count();
            long opens = states.stream().filter(s -> s.getString("state").equals("open")).count();
            assertTrue(closes >= 2 && opens >= 2, "closes and opens in 16 s: " + states);
            assertTrue(rolled >= symbols.size(), "symbols seen starting a new session: " + rolled);
            assertTrue(client.seqProblems().isEmpty(), client.seqProblems()::toString);
        }
    }

    /**
     * The previous session's bars, asked for over the stream and over HTTP, are the same, and agree
     * with the quotes: the last bar closes at the session's last price, the bars' volumes add up
     * to the session's volume, and each bar's low and high bound its open and close.
     */
    @Test
    void historyOverTheStreamAndOverHttpAgreeWithTheQuotes() throws Exception {
        try (QuoteClient client = QuoteClient.connect(sessionsStream())) {
            client.expect("welcome");
            // Wait for a closed period: the session that just ended is complete and stays put.
            JsonObject closed = client.await(f -> f.getString("type").equals("market") && f.getString("state").equals("closed"),
                    Duration.ofSeconds(15), "a close");
            client.send("{\"type\":\"subscribe\",\"id\":1,\"symbols\":[\"AAPL\"]}");
            JsonObject quote = client.awaitType("snapshot").getJsonArray("data").getJsonObject(0);
            client.send("{\"type\":\"history\",\"id\":\"h1\",\"symbol\":\"aapl\"}");
            JsonObject history = client.await(f -> f.getString("type").equals("history"), Duration.ofSeconds(5), "history");
            assertEquals("h1", history.getString("id"));
            assertEquals("AAPL", history.getString("symbol"));
            assertEquals(closed.getJsonNumber("session").longValue(), history.getJsonNumber("session").longValue());
            assertEquals(closed.getJsonNumber("opensAt").longValue(), history.getJsonNumber("opensAt").longValue());
            assertEquals(1000.0, history.getJsonNumber("barMs").doubleValue());
            List<jakarta.json.JsonArray> bars = history.getJsonArray("bars").getValuesAs(jakarta.json.JsonArray.class);
            assertTrue(bars.size() >= 2 && bars.size() <= 3, "3 simulated minutes, each with trades: " + bars);
            long volume = 0;
            long lastStart = 0;
            for (jakarta.json.JsonArray bar : bars) {
                long start = bar.getJsonNumber(0).longValue();
                assertTrue(start > lastStart && start < closed.getJsonNumber("closesAt").longValue(), bar::toString);
                lastStart = start;
                BigDecimal open = bar.getJsonNumber(1).bigDecimalValue();
                BigDecimal high = bar.getJsonNumber(2).bigDecimalValue();
                BigDecimal low = bar.getJsonNumber(3).bigDecimalValue();
                BigDecimal close = bar.getJsonNumber(4).bigDecimalValue();
                assertTrue(low.compareTo(open.min(close)) <= 0 && high.compareTo(open.max(close)) >= 0, bar::toString);
                volume += bar.getJsonNumber(5).longValue();
            }
            assertEquals(0, price(quote, "price").compareTo(bars.get(bars.size() - 1).getJsonNumber(4).bigDecimalValue()),
                    () -> "the last bar closes at the last trade " + quote);
            assertEquals(quote.getJsonNumber("volume").longValue(), volume, "the bars' volumes add up to the session's");

            java.net.http.HttpResponse<String> http = get("api/history?symbol=AAPL", null);
            assertEquals(200, http.statusCode(), http::body);
            assertTrue(http.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
            assertTrue(http.headers().firstValue("Cache-Control").orElse("").contains("max-age="));
            JsonObject body = json(http.body());
            for (String field : List.of("symbol", "session", "opensAt", "closesAt", "barMs", "columns", "bars")) {
                assertEquals(history.get(field), body.get(field), field);
            }
            String etag = http.headers().firstValue("ETag").orElseThrow();
            assertEquals(304, get("api/history?symbol=AAPL", etag).statusCode(), "unchanged: not modified");
            JsonObject previous = json(get("api/history?symbol=AAPL&session=previous", null).body());
            assertEquals(history.getJsonNumber("session").longValue() - 1, previous.getJsonNumber("session").longValue());
        }
    }

    @Test
    void badHistoryRequestsGetTypedErrorsOnTheStreamAndOverHttp() throws Exception {
        try (QuoteClient client = QuoteClient.connect(sessionsStream())) {
            client.expect("welcome");
            client.send("{\"type\":\"history\",\"id\":1,\"symbol\":\"NOPE\"}");
            JsonObject unknown = client.awaitType("error");
            assertEquals("UNKNOWN_SYMBOL", unknown.getString("code"));
            assertEquals(1, unknown.getInt("id"));
            client.send("{\"type\":\"history\",\"id\":2,\"symbol\":42}");
            JsonObject wrongType = client.awaitType("error");
            assertEquals("BAD_REQUEST", wrongType.getString("code"));
            assertEquals(2, wrongType.getInt("id"));
            client.send("{\"type\":\"history\",\"id\":3,\"symbol\":\"AAPL\",\"session\":\"tomorrow\"}");
            assertEquals("BAD_REQUEST", client.awaitType("error").getString("code"));
            // A flood: the burst (20 at the defaults) is answered, the rest is refused, each by id.
            for (int i = 100; i < 125; i++) {
                client.send("{\"type\":\"history\",\"id\":" + i + ",\"symbol\":\"MSFT\"}");
            }
            int answered = 0;
            int limited = 0;
            while (answered + limited < 25) {
                JsonObject frame = client.await(f -> f.getString("type").equals("history") || f.getString("type").equals("error"),
                        Duration.ofSeconds(5), "an answer to each request");
                if (frame.getString("type").equals("history")) {
                    answered++;
                } else {
                    assertEquals("RATE_LIMITED", frame.getString("code"), frame::toString);
                    limited++;
                }
            }
            assertTrue(limited >= 1 && answered >= 15, answered + " answered, " + limited + " limited");
            assertTrue(client.session().isOpen(), "a burst is refused, not punished");
        }
        assertEquals(404, get("api/history?symbol=NOPE", null).statusCode());
        assertEquals("UNKNOWN_SYMBOL", json(get("api/history?symbol=NOPE", null).body()).getString("code"));
        assertEquals(400, get("api/history", null).statusCode());
        assertEquals(400, get("api/history?symbol=AAPL&symbol=MSFT", null).statusCode());
        assertEquals(400, get("api/history?symbol=AAPL&session=1", null).statusCode());
        assertEquals("BAD_REQUEST", json(get("api/history?symbol=AAPL&session=1", null).body()).getString("code"));
        int limited = 0;
        for (int i = 0; i < 45; i++) {
            java.net.http.HttpResponse<String> response = get("api/history?symbol=AAPL", null);
            if (response.statusCode() == 429) {
                limited++;
                assertEquals("RATE_LIMITED", json(response.body()).getString("code"));
                assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
            } else {
                assertEquals(200, response.statusCode(), response::body);
            }
        }
        assertTrue(limited > 0, "45 requests at once from one address: some over the rate");
    }

    /**
     * The page watches the market close and reopen: the header says so, no row is marked stale
     * while nothing trades, and the chart starts the new session afresh. No console errors.
     */
    @Test
    void thePageShowsTheMarketCloseAndReopen() {
        try (Chromium chromium = Chromium.launchOrSkip()) {
            com.microsoft.playwright.Page page = chromium.browser().newContext().newPage();
            List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
            page.onPageError(error -> errors.add("uncaught: " + error));
            page.onConsoleMessage(message -> {
                if (message.type().equals("error")) {
                    errors.add("console.error: " + message.text());
                }
            });
            page.navigate(sessionsBase());
            com.microsoft.playwright.Locator state = page.locator("#market-state");
            var slow = new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(12_000);
            // From an open market, so that the close below is one the page saw happen, not one
            // that welcome reported (which would announce nothing).
            com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(state)
                    .hasText(java.util.regex.Pattern.compile("^Open · "), slow);
            com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(state)
                    .hasText(java.util.regex.Pattern.compile("^Closed · opens in 0:0[0-2]$"), slow);
            com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(page.locator("#announcer"))
                    .hasText("The market has closed.");
            page.locator("tr[data-symbol='AAPL']").click();
            page.waitForTimeout(1500);
            com.microsoft.playwright.Locator stale = page.locator("#quotes tbody tr.stale");
            com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(stale).hasCount(0);
            com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat(state)
                    .hasText(java.util.regex.Pattern.compile("^Open · 09:3[0-3]$"), slow);
            // The new session's chart: its first minutes only, from the open.
            page.waitForCondition(() -> {
                String bars = page.locator("#detail-chart").getAttribute("data-bars");
                return bars != null && Integer.parseInt(bars) >= 1 && Integer.parseInt(bars) <= 3;
            });
            assertEquals(List.of(), errors, "errors in the browser console");
        }
    }

    private static java.net.http.HttpResponse<String> get(String path, String ifNoneMatch) throws Exception {
        java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(URI.create(sessionsBase() + path));
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return HTTP.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .version(java.net.http.HttpClient.Version.HTTP_1_1).build();

    private static JsonObject json(String text) {
        try (jakarta.json.JsonReader reader = jakarta.json.Json.createReader(new java.io.StringReader(text))) {
            return reader.readObject();
        }
    }

    /**
     * The session a quote's {@code ts} belongs to, by the latest market frame; fails if the market
     * was closed then. A trade's ts is its time on the market's clock, which starts from the
     * server's wall clock; the frame's times are on that clock too.
     */
    private static long sessionAt(JsonObject market, long ts) {
        long opensAt = market.getJsonNumber("opensAt").longValue();
        long closesAt = market.getJsonNumber("closesAt").longValue();
        long nextOpensAt = market.getJsonNumber("nextOpensAt").longValue();
        long session = market.getJsonNumber("session").longValue();
        long period = nextOpensAt - opensAt;
        long length = closesAt - opensAt;
        // The quotes of a new session may come a flush before its frame: count whole periods on.
        long k = Math.floorDiv(ts - opensAt, period);
        long offset = ts - opensAt - k * period;
        assertTrue(offset < length, () -> "a trade at " + ts + " while the market was closed, by " + market);
        return session + k;
    }

    private static BigDecimal price(JsonObject quote, String field) {
        return quote.getJsonNumber(field).bigDecimalValue();
    }
}
