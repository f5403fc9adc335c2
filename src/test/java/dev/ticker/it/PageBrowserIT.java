package dev.ticker.it;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.WebSocketRoute;
import com.microsoft.playwright.options.ColorScheme;
import com.microsoft.playwright.options.ReducedMotion;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The live page in real Chromium, against the deployed WAR. Tagged {@code page}: what it proves is
 * the page's own behaviour, the same script on every server; {@code .ci/run} leaves it out of the
 * legs whose WebSocket implementation another leg already runs it on (README "Testing").
 */
@Tag("page")
class PageBrowserIT extends DeployedTicker {

    private static Chromium chromium;
    private BrowserContext context;
    private Page page;
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<JsonObject> sent = new CopyOnWriteArrayList<>();
    private final List<JsonObject> received = new CopyOnWriteArrayList<>();
    private int universe;
    private int maxSymbols;
    private boolean expectNetworkErrors;

    @BeforeAll
    static void launch() {
        chromium = Chromium.launchOrSkip();
        // Servers differ in how fast they deploy and answer; prices tick a few times a second.
        PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
    }

    @AfterAll
    static void quit() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void open() {
        open(new Browser.NewContextOptions().setViewportSize(1280, 900));
    }

    /** Opens the page in a fresh browser context (fresh localStorage) made with {@code options}. */
    private void open(Browser.NewContextOptions options) {
        if (context != null) {
            context.close();
        }
        sent.clear();
        received.clear();
        context = chromium.browser().newContext(options);
        page = context.newPage();
        page.onPageError(error -> errors.add("uncaught: " + error));
        page.onConsoleMessage(message -> {
            if (message.type().equals("error") && !expectNetworkErrors) {
                errors.add("console.error: " + message.text());
            }
        });
        page.onWebSocket(socket -> {
            socket.onFrameSent(frame -> sent.add(json(frame)));
            socket.onFrameReceived(frame -> received.add(json(frame)));
        });
        page.navigate(base.toExternalForm());
        if (expectNetworkErrors) {
            return;
        }
        assertThat(page.locator("#conn-state")).hasText("Live");
        JsonObject welcome = awaitFrame(received, f -> f.getString("type").equals("welcome"));
        universe = welcome.getJsonArray("symbols").size();
        maxSymbols = welcome.getJsonObject("limits").getInt("maxSymbols");
        // A first visit watches the whole universe, as far as the server's symbol limit allows.
        assertThat(page.locator("#quotes tbody tr")).hasCount(Math.min(universe, maxSymbols));
    }

    @AfterEach
    void close() {
        if (context != null) {
            context.close();
        }
        assertEquals(List.of(), errors, "errors in the browser console");
    }

    @Test
    void rowsShowPricesAndThePricesChange() throws Exception {
        Locator last = page.locator("tr[data-symbol='AAPL'] td.last");
        assertThat(last).hasText(Pattern.compile("^[0-9,]+\\.[0-9]{2}$"));
        String first = last.textContent();
        page.waitForCondition(() -> !last.textContent().equals(first), new Page.WaitForConditionOptions().setTimeout(15_000));
        assertThat(page.locator(".simulated")).isVisible();
        // The market's state and, while open, the simulated time of day (default sessions: 6.5 real minutes).
        assertThat(page.locator("#market-state")).hasText(Pattern.compile("^(Open · ([01][0-9]|2[0-3]):[0-5][0-9]|Closed · opens in [0-9]+:[0-5][0-9])$"));

        Path dir = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
        Files.createDirectories(dir);
        page.locator("tr[data-symbol='NVDA']").click();
        page.waitForTimeout(3000);                 // the session's history, then a few seconds of live prices
        page.screenshot(new Page.ScreenshotOptions().setPath(dir.resolve("ticker.png")));
        assertTrue(Files.size(dir.resolve("ticker.png")) > 10_000, "a screenshot with something on it");
    }

    @Test
    void aPriceChangeFlashesItsRow() {
        assertThat(page.locator("#quotes tbody tr.flash-up, #quotes tbody tr.flash-down").first()).isVisible();
    }

    @Test
    void sparklinesAreDrawn() {
        page.waitForCondition(() -> inkedPixels("tr[data-symbol='MSFT'] canvas.spark") > 20,
                new Page.WaitForConditionOptions().setTimeout(10_000));
    }

    @Test
    void theDetailChartDrawsAndShowsTheSession() {
        page.locator("tr[data-symbol='TSLA']").click();
        Locator detail = page.locator("#detail");
        assertThat(detail).isVisible();
        assertThat(page.locator("#detail-title")).hasText("TSLA");
        for (String field : List.of("open", "high", "low", "prevClose", "volume")) {
            assertThat(page.locator("#detail-" + field)).hasText(Pattern.compile("[0-9]"));
        }
        page.waitForCondition(() -> inkedPixels("#detail-chart") > 2000, new Page.WaitForConditionOptions().setTimeout(10_000));
        page.locator("#detail-close").click();
        assertThat(detail).isHidden();
    }

    /**
     * The detail chart opens on the session so far (the server's bars, not what this page has
     * seen), in either style, and so it does again after a reload: no hole.
     */
    @Test
    void theDetailChartOpensOnTheWholeSessionAndAgainAfterAReload() throws Exception {
        // A session at least 8 bars old (simulated minutes: seconds at the default time scale).
        page.waitForCondition(() -> serverBars("NVDA") >= 8, new Page.WaitForConditionOptions().setTimeout(20_000));
        int onServer = serverBars("NVDA");
        page.locator("tr[data-symbol='NVDA']").click();
        Locator chart = page.locator("#detail-chart");
        page.waitForCondition(() -> barsDrawn(chart) >= onServer, new Page.WaitForConditionOptions().setTimeout(5_000));
        assertThat(page.locator("#detail .hint")).hasCount(0);
        assertThat(page.locator("[data-mode='line']")).hasAttribute("aria-pressed", "true");
        page.locator("[data-mode='candles']").click();
        assertThat(page.locator("[data-mode='candles']")).hasAttribute("aria-pressed", "true");
        page.waitForCondition(() -> inkedPixels("#detail-chart") > 2000, new Page.WaitForConditionOptions().setTimeout(5_000));

        page.reload();
        assertThat(page.locator("#conn-state")).hasText("Live");
        int again = serverBars("NVDA");
        page.locator("tr[data-symbol='NVDA']").click();
        page.waitForCondition(() -> barsDrawn(chart) >= again, new Page.WaitForConditionOptions().setTimeout(5_000));
        assertThat(page.locator("[data-mode='candles']")).hasAttribute("aria-pressed", "true");   // remembered
        // The sparklines show the session too: their history arrived for every row.
        JsonObject history = awaitFrame(received, f -> f.getString("type").equals("history"));
        assertEquals(List.of("t", "open", "high", "low", "close", "volume"), QuoteStreamSymbols.strings(history, "columns"));
        page.locator("[data-mode='line']").click();
    }

    /**
     * Frames lost for three seconds (in transit, then a seq gap): the page reconnects, and its chart
     * has the whole session again, those seconds included.
     */
    @Test
    void afterAReconnectTheChartHasNoHole() {
        AtomicInteger connections = new AtomicInteger();
        AtomicBoolean dropping = new AtomicBoolean();
        page.routeWebSocket(Pattern.compile(".*/ws/quotes$"), ws -> {
            int connection = connections.incrementAndGet();
            WebSocketRoute server = ws.connectToServer();
            ws.onMessage(message -> server.send(message.text()));
            server.onMessage(message -> {
                if (connection == 1 && dropping.get()) {
                    return;                       // lost in transit
                }
                ws.send(message.text());
            });
        });
        page.reload();
        assertThat(page.locator("#conn-state")).hasText("Live");
        page.locator("tr[data-symbol='NVDA']").click();
        Locator chart = page.locator("#detail-chart");
        page.waitForCondition(() -> barsDrawn(chart) >= 2, new Page.WaitForConditionOptions().setTimeout(10_000));
        dropping.set(true);
        page.waitForTimeout(3000);
        dropping.set(false);
        page.waitForCondition(() -> connections.get() >= 2, new Page.WaitForConditionOptions().setTimeout(15_000));
        assertThat(page.locator("#conn-state")).hasText("Live");
        int onServer = serverBars("NVDA");
        page.waitForCondition(() -> barsDrawn(chart) >= onServer, new Page.WaitForConditionOptions().setTimeout(5_000));
    }

    /** The bars of the current session the server holds for {@code symbol}. */
    private int serverBars(String symbol) {
        try {
            String body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(base.toExternalForm() + "api/history?symbol=" + symbol)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            return Json.createReader(new StringReader(body)).readObject().getJsonArray("bars").size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int barsDrawn(Locator chart) {
        String bars = chart.getAttribute("data-bars");
        return bars == null ? 0 : Integer.parseInt(bars);
    }

    @Test
    void theMoversStripShowsTheWatchlistsGainersAndLosers() {
        Locator movers = page.locator("#movers");
        assertThat(movers).isVisible();
        assertThat(page.locator("#gainers button, #losers button").first()).isVisible();
        String first = page.locator("#gainers button, #losers button").first().textContent();
        assertTrue(first.matches("[A-Z.]+ [+-][0-9.,]+%"), first);
        page.locator("#gainers button, #losers button").first().click();
        assertThat(page.locator("#detail-title")).hasText(first.substring(0, first.indexOf(' ')));
    }

    @Test
    void aSymbolCanBeAddedByItsName() {
        page.locator("tr[data-symbol='WMT'] td.remove button").click();
        assertThat(page.locator("tr[data-symbol='WMT']")).hasCount(0);
        page.locator("#add-symbol").fill("walmart");
        page.locator("#add-form button").click();
        assertThat(page.locator("tr[data-symbol='WMT']")).hasCount(1);
        assertThat(page.locator("#notice")).isHidden();
        page.locator("#add-symbol").fill("Intel Corporation of Nowhere");
        page.locator("#add-form button").click();
        assertThat(page.locator("#notice")).containsText("not traded on this market");
    }

    /** At a phone's 390 px: symbol, last, change % and the sparkline, no sideways scrolling; a tap shows the rest. */
    @Test
    void theNarrowLayoutFitsAPhoneWithoutScrollingSideways() {
        open(new Browser.NewContextOptions().setViewportSize(390, 844).setIsMobile(true).setHasTouch(true));
        Locator row = page.locator("tr[data-symbol='MSFT']");
        assertThat(row.locator("td.last")).isVisible();
        assertThat(row.locator("td.changePct")).isVisible();
        assertThat(row.locator("canvas.spark")).isVisible();
        assertThat(row.locator("td.bid")).isHidden();
        assertThat(row.locator("td.volume")).isHidden();
        assertThat(page.locator("#market-state")).isVisible();
        int overflow = ((Number) page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")).intValue();
        assertTrue(overflow <= 0, "the page scrolls sideways by " + overflow + " px");
        row.locator("td.symbol").tap();
        assertThat(page.locator("#detail")).isInViewport();
        assertThat(page.locator("#detail-bid")).hasText(Pattern.compile("[0-9]"));
        assertThat(page.locator("#detail-volume")).hasText(Pattern.compile("[0-9]"));
        page.locator("#detail-remove").tap();
        assertThat(page.locator("tr[data-symbol='MSFT']")).hasCount(0);
    }

    @Test
    void removingAndAddingASymbolChangesWhatArrivesOnTheWire() {
        page.locator("tr[data-symbol='AAPL'] td.remove button").click();
        assertThat(page.locator("tr[data-symbol='AAPL']")).hasCount(0);
        JsonObject unsubscribe = awaitFrame(sent, f -> f.getString("type").equals("unsubscribe"));
        assertEquals(List.of("AAPL"), QuoteStreamSymbols.strings(unsubscribe, "symbols"));
        JsonObject unsubscribed = awaitFrame(received, f -> f.getString("type").equals("unsubscribed"));
        assertFalse(QuoteStreamSymbols.strings(unsubscribed, "symbols").contains("AAPL"));

        // From here on, no AAPL comes over the wire.
        int from = received.size();
        page.waitForTimeout(1500);
        Set<String> after = received.subList(from, received.size()).stream()
                .filter(f -> f.getString("type").equals("ticks"))
                .flatMap(f -> QuoteStreamSymbols.of(f).stream()).collect(Collectors.toSet());
        assertFalse(after.isEmpty(), "other symbols keep ticking");
        assertFalse(after.contains("AAPL"), "AAPL arrived after it was removed: " + after);

        page.locator("#add-symbol").fill("aapl");
        page.locator("#add-form button").click();
        JsonObject subscribe = awaitFrame(sent, f -> f.getString("type").equals("subscribe")
                && QuoteStreamSymbols.strings(f, "symbols").equals(List.of("AAPL")));
        assertTrue(subscribe.containsKey("id"));
        JsonObject snapshot = awaitFrame(received, f -> f.getString("type").equals("snapshot")
                && QuoteStreamSymbols.of(f).equals(Set.of("AAPL")));
        assertEquals(1, snapshot.getJsonArray("data").size());
        assertThat(page.locator("tr[data-symbol='AAPL'] td.last")).hasText(Pattern.compile("[0-9]"));
    }

    @Test
    void theWatchlistIsRememberedAcrossReloads() {
        int rows = page.locator("#quotes tbody tr").count();
        page.locator("tr[data-symbol='JPM'] td.remove button").click();
        assertThat(page.locator("#quotes tbody tr")).hasCount(rows - 1);
        sent.clear();
        page.reload();
        assertThat(page.locator("#conn-state")).hasText("Live");
        assertThat(page.locator("#quotes tbody tr")).hasCount(rows - 1);
        assertThat(page.locator("tr[data-symbol='JPM']")).hasCount(0);
        JsonObject subscribe = awaitFrame(sent, f -> f.getString("type").equals("subscribe"));
        assertEquals(rows - 1, subscribe.getJsonArray("symbols").size());
        assertFalse(QuoteStreamSymbols.strings(subscribe, "symbols").contains("JPM"));
    }

    @Test
    void tooManySymbolsIsExplained() {
        Assumptions.assumeTrue(maxSymbols < universe, "the server's maxSymbols is not below the universe size");
        // A first visit watches as many as the server allows; one more is refused, and said so.
        assertThat(page.locator("#notice")).isHidden();
        JsonObject welcome = awaitFrame(received, f -> f.getString("type").equals("welcome"));
        String extra = welcome.getJsonArray("symbols").getString(maxSymbols);
        page.locator("#add-symbol").fill(extra);
        page.locator("#add-symbol").press("Enter");
        assertThat(page.locator("#notice")).containsText("Too many symbols");
        assertThat(page.locator("#notice")).containsText("at most " + maxSymbols);
        assertThat(page.locator("tr[data-symbol='" + extra + "']")).hasCount(0);
    }

    @Test
    void anUnknownSymbolIsExplained() {
        int rows = page.locator("#quotes tbody tr").count();
        page.locator("#add-symbol").fill("NOPE");
        page.locator("#add-symbol").press("Enter");
        assertThat(page.locator("#notice")).containsText("NOPE: not traded");
        assertThat(page.locator("#quotes tbody tr")).hasCount(rows);
    }

    @Test
    void sortingByChangePercentOrdersTheRows() {
        page.locator("th[data-key='changePct'] button").click();
        assertThat(page.locator("th[data-key='changePct']")).hasAttribute("aria-sort", "descending");
        page.waitForTimeout(1200);       // rows are re-sorted at most once a second
        @SuppressWarnings("unchecked")
        List<Object> shown = (List<Object>) page.evaluate(
                "() => [...document.querySelectorAll('#quotes tbody td.changePct')].map(td => parseFloat(td.textContent.replace(/[^0-9.+-]/g, '')))");
        List<Double> values = shown.stream().map(v -> ((Number) v).doubleValue()).collect(Collectors.toList());
        for (int i = 1; i < values.size(); i++) {
            // Prices move between the sort and the read; allow one tick of drift.
            assertTrue(values.get(i - 1) >= values.get(i) - 0.5, () -> "not descending: " + values);
        }
    }

    @Test
    void theTableIsKeyboardOperable() {
        page.locator("tr[data-symbol='AAPL']").focus();
        page.keyboard().press("ArrowDown");
        assertThat(page.locator("tr[data-symbol='MSFT']")).isFocused();
        page.keyboard().press("Enter");
        assertThat(page.locator("#detail-title")).hasText("MSFT");
        page.keyboard().press("Escape");
        assertThat(page.locator("#detail")).isHidden();
        assertThat(page.locator("tr[data-symbol='MSFT']")).isFocused();
        page.keyboard().press("Delete");
        assertThat(page.locator("tr[data-symbol='MSFT']")).hasCount(0);
    }

    @Test
    void theConnectionPanelShowsRoundTripAndRates() {
        assertThat(page.locator("#conn-rtt")).hasText(Pattern.compile("^[0-9]+ ms$"));
        page.waitForCondition(() -> Integer.parseInt(page.locator("#conn-tps").textContent()) > 0,
                new Page.WaitForConditionOptions().setTimeout(5000));
    }

    @Test
    void aHiddenTabStopsPaintingAndRepaintsOnReturn() {
        Locator last = page.locator("tr[data-symbol='AAPL'] td.last");
        assertThat(last).hasText(Pattern.compile("[0-9]"));
        setHidden(true);
        String frozen = last.textContent();
        int framesBefore = received.size();
        page.waitForTimeout(2000);
        assertTrue(received.size() > framesBefore + 10, "frames keep arriving while hidden");
        assertEquals(frozen, last.textContent(), "nothing is painted while the tab is hidden");
        setHidden(false);
        page.waitForCondition(() -> !last.textContent().equals(frozen), new Page.WaitForConditionOptions().setTimeout(5000));
    }

    @Test
    void reducedMotionTurnsTheFlashOff() {
        open(new Browser.NewContextOptions().setViewportSize(1280, 900).setReducedMotion(ReducedMotion.REDUCE));
        page.waitForTimeout(2000);
        assertThat(page.locator("#quotes tbody tr.flash-up, #quotes tbody tr.flash-down")).hasCount(0);
    }

    @Test
    void darkModeFollowsTheSystem() {
        open(new Browser.NewContextOptions().setViewportSize(1280, 900).setColorScheme(ColorScheme.DARK));
        Object background = page.evaluate("() => getComputedStyle(document.body).backgroundColor");
        assertEquals("rgb(17, 20, 24)", background);
    }

    @Test
    void atTwoHundredPercentZoomNothingIsCutOff() {
        // 200 % zoom of a 1280 x 900 window lays the page out in 640 x 450 CSS pixels.
        open(new Browser.NewContextOptions().setViewportSize(640, 450));
        Object overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertEquals(0, ((Number) overflow).intValue(), "the page scrolls sideways (the table may, inside its box)");
        assertThat(page.locator("#add-symbol")).isInViewport();
        assertThat(page.locator(".simulated")).isInViewport();
    }

    @Test
    void goingOfflineAndBackIsShown() {
        context.setOffline(true);
        page.evaluate("() => dispatchEvent(new Event('offline'))");
        assertThat(page.locator("#conn-state")).hasText("Offline");
        context.setOffline(false);
        page.evaluate("() => dispatchEvent(new Event('online'))");
        assertThat(page.locator("#conn-state")).hasText("Live");
    }

    @Test
    void aRefusedOriginIsExplained() {
        // The page comes from 127.0.0.1 and its socket goes to localhost: to the server that is a
        // foreign origin, as if another web site had embedded the stream, and it refuses with 403.
        expectNetworkErrors = true;           // Chromium logs the refused handshake itself
        context.addInitScript("{ const Native = WebSocket; window.WebSocket = class extends Native {"
                + " constructor(url, protocols) { super(String(url).replace('//127.0.0.1:', '//localhost:'), protocols); } }; }"
                // The fallback stream too: a foreign page is refused there as well.
                + "{ const Native = EventSource; window.EventSource = class extends Native {"
                + " constructor(url, options) { super(String(url).replace('//127.0.0.1:', '//localhost:'), options); } }; }");
        long refusedBefore = refusedOrigins();
        page.navigate("http://127.0.0.1:" + base.getPort() + base.getPath());
        assertThat(page.locator("#conn-state")).hasText("Reconnecting…");
        assertThat(page.locator("#conn-reason")).containsText("refused the stream");
        assertTrue(refusedOrigins() > refusedBefore, "the server refused the handshake for its origin");
    }

    @Test
    void aGapInSeqMakesThePageResynchronise() {
        // Between page and server, drop one ticks frame: the page must notice the missing seq,
        // reconnect and take a fresh snapshot instead of showing prices with a hole in them.
        AtomicInteger connections = new AtomicInteger();
        AtomicBoolean dropped = new AtomicBoolean();
        page.routeWebSocket(Pattern.compile(".*/ws/quotes$"), ws -> {
            connections.incrementAndGet();
            WebSocketRoute server = ws.connectToServer();
            ws.onMessage(message -> server.send(message.text()));
            server.onMessage(message -> {
                String text = message.text();
                if (connections.get() == 1 && text.contains("\"type\":\"ticks\"") && dropped.compareAndSet(false, true)) {
                    return;                       // lost in transit
                }
                ws.send(text);
            });
        });
        page.reload();
        page.waitForCondition(() -> connections.get() >= 2, new Page.WaitForConditionOptions().setTimeout(15_000));
        assertTrue(dropped.get());
        assertThat(page.locator("#conn-state")).hasText("Live");
        Locator last = page.locator("tr[data-symbol='AAPL'] td.last");
        assertThat(last).hasText(Pattern.compile("[0-9]"));
    }

    /**
     * A draining server's {@code notice} (put into the stream here, between page and server, with
     * every later {@code seq} moved up by one) is told to the reader: the server goes away, about
     * when, and the page will reconnect by itself; until the close the page stays live.
     */
    @Test
    void aDrainNoticeTellsTheReaderWhenTheServerGoesAway() {
        Pattern seq = Pattern.compile("\"seq\":(\\d+)");
        Pattern ts = Pattern.compile("\"ts\":(\\d+)");
        AtomicBoolean injected = new AtomicBoolean();
        AtomicInteger connections = new AtomicInteger();
        page.routeWebSocket(Pattern.compile(".*/ws/quotes$"), ws -> {
            connections.incrementAndGet();
            WebSocketRoute server = ws.connectToServer();
            AtomicInteger shift = new AtomicInteger();
            ws.onMessage(message -> server.send(message.text()));
            server.onMessage(message -> {
                String text = message.text();
                java.util.regex.Matcher s = seq.matcher(text);
                if (!s.find()) {
                    ws.send(text);
                    return;
                }
                long n = Long.parseLong(s.group(1)) + shift.get();
                if (text.contains("\"type\":\"ticks\"") && injected.compareAndSet(false, true)) {
                    java.util.regex.Matcher t = ts.matcher(text);
                    long at = t.find() ? Long.parseLong(t.group(1)) : System.currentTimeMillis();
                    ws.send("{\"type\":\"notice\",\"seq\":" + n + ",\"ts\":" + at + ",\"reason\":\"draining\",\"closesAt\":"
                            + (at + 4200) + ",\"drainMs\":5000,\"message\":\"this server is going away; connect again\"}");
                    shift.set(1);
                    n++;
                }
                ws.send(s.replaceFirst("\"seq\":" + n));
            });
        });
        page.reload();
        page.waitForCondition(injected::get, new Page.WaitForConditionOptions().setTimeout(15_000));
        assertThat(page.locator("#notice")).containsText("going away in about 5 s");
        assertThat(page.locator("#notice")).containsText("reconnect by itself");
        assertThat(page.locator("#conn-state")).hasText("Live");
        Locator last = page.locator("tr[data-symbol='AAPL'] td.last");
        String before = last.textContent();
        page.waitForCondition(() -> !last.textContent().equals(before), new Page.WaitForConditionOptions().setTimeout(15_000));
        assertEquals(1, connections.get(), "the notice, in sequence, made the page reconnect");
    }

    /**
     * With {@code ?binary} in its address the page offers {@code ticker.v1.binary} first, takes
     * every frame as a binary message and shows live prices as with text.
     */
    @Test
    void withBinaryInItsAddressThePageTakesTheBinaryVariant() {
        received.clear();
        page.navigate(base.toExternalForm() + "?binary");
        assertThat(page.locator("#conn-state")).hasText("Live");
        assertThat(page.locator("#connection")).hasAttribute("data-protocol", "ticker.v1.binary");
        awaitFrame(received, f -> f.getString("type").equals("snapshot"));
        Locator last = page.locator("tr[data-symbol='AAPL'] td.last");
        assertThat(last).hasText(Pattern.compile("^[0-9,]+\\.[0-9]{2}$"));
        String before = last.textContent();
        page.waitForCondition(() -> !last.textContent().equals(before), new Page.WaitForConditionOptions().setTimeout(15_000));
        assertThat(page.locator("#quotes tbody tr.stale")).hasCount(0);
    }

    /**
     * A WebSocket that opens and then brings nothing, as behind a proxy that passes the upgrade
     * and holds the frames: no welcome within a few seconds, and the page goes over to Server-Sent
     * Events, with the same watchlist and live prices.
     */
    @Test
    void aWebSocketThatBringsNoWelcomeMakesThePageFallBackToServerSentEvents() {
        page.routeWebSocket(Pattern.compile(".*/ws/quotes$"), ws -> { });     // opened, never answered
        page.reload();
        assertThat(page.locator("#conn-state")).hasText("Live · fallback", new LocatorAssertions.HasTextOptions().setTimeout(15_000));
        assertThat(page.locator("#connection")).hasAttribute("data-transport", "sse");
        Locator last = page.locator("tr[data-symbol='AAPL'] td.last");
        assertThat(last).hasText(Pattern.compile("[0-9]"));
        String before = last.textContent();
        page.waitForCondition(() -> !last.textContent().equals(before), new Page.WaitForConditionOptions().setTimeout(15_000));
    }

    /**
     * A WebSocket held back only for a while (the first connection brings no welcome, later ones
     * pass): the page falls back to Server-Sent Events, then, on its first probe (15 s later),
     * finds WebSocket working again and moves back to it, with the same watchlist and live prices.
     */
    @Test
    void aPageOnTheFallbackMovesBackToWebSocketOnceItWorksAgain() {
        AtomicInteger connections = new AtomicInteger();
        page.routeWebSocket(Pattern.compile(".*/ws/quotes$"), ws -> {
            if (connections.incrementAndGet() == 1) {
                return;                       // opened, never answered
            }
            WebSocketRoute server = ws.connectToServer();
            ws.onMessage(message -> server.send(message.text()));
            server.onMessage(message -> ws.send(message.text()));
        });
        page.reload();
        Locator state = page.locator("#conn-state");
        assertThat(state).hasText("Live · fallback", new LocatorAssertions.HasTextOptions().setTimeout(15_000));
        int rows = page.locator("#quotes tbody tr").count();
        assertThat(state).hasText("Live", new LocatorAssertions.HasTextOptions().setTimeout(30_000));
        assertThat(page.locator("#connection")).hasAttribute("data-transport", "websocket");
        // The probe that found WebSocket working, then the connection that replaced the stream.
        assertEquals(3, connections.get(), "WebSocket connections");
        assertThat(page.locator("#quotes tbody tr")).hasCount(rows);
        Locator last = page.locator("tr[data-symbol='AAPL'] td.last");
        String before = last.textContent();
        page.waitForCondition(() -> !last.textContent().equals(before), new Page.WaitForConditionOptions().setTimeout(15_000));
        assertThat(page.locator("#quotes tbody tr.stale")).hasCount(0);
        page.unrouteAll();
    }

    /**
     * On the fallback, a request the server did not take (here a proxy's 502 for the first
     * subscribe) must not leave the page connected without its subscription: the stream ends, the
     * page reconnects (WebSocket first, held back again, so after its welcome timeout over Server-Sent
     * Events once more), subscribes again and shows live prices.
     */
    @Test
    void aRefusedControlRequestMakesTheFallbackReconnectAndSubscribeAgain() {
        expectNetworkErrors = true;           // Chromium logs the 502 itself
        page.routeWebSocket(Pattern.compile(".*/ws/quotes$"), ws -> { });     // no welcome: fall back
        AtomicInteger subscribes = new AtomicInteger();
        page.route(Pattern.compile(".*/sse/quotes/[0-9a-f]{32}$"), route -> {
            String body = route.request().postData();
            if (body != null && body.contains("\"subscribe\"") && subscribes.getAndIncrement() == 0) {
                route.fulfill(new Route.FulfillOptions().setStatus(502).setBody("bad gateway"));
            } else {
                try {
                    route.resume();
                } catch (PlaywrightException closedMeanwhile) {
                    // a ping posted as the test's context closes
                }
            }
        });
        page.reload();
        page.waitForCondition(() -> subscribes.get() >= 2, new Page.WaitForConditionOptions().setTimeout(40_000));
        assertThat(page.locator("#conn-state")).hasText("Live · fallback", new LocatorAssertions.HasTextOptions().setTimeout(15_000));
        Locator last = page.locator("tr[data-symbol='AAPL'] td.last");
        assertThat(last).hasText(Pattern.compile("[0-9]"));
        String before = last.textContent();
        page.waitForCondition(() -> !last.textContent().equals(before), new Page.WaitForConditionOptions().setTimeout(15_000));
        assertThat(page.locator("#quotes tbody tr.stale")).hasCount(0);
        page.unrouteAll();
    }

    @Test
    void screenReadersGetAPoliteSummaryAndTheState() {
        assertThat(page.locator("#announcer")).hasAttribute("aria-live", "polite");
        assertThat(page.locator("#conn-state")).hasAttribute("role", "status");
        assertThat(page.locator("#detail-chart")).hasAttribute("role", "img");
    }

    private long refusedOrigins() {
        String health = page.request().get(base.toExternalForm() + "health").text();
        return json(health).getJsonNumber("refusedOrigins").longValue();
    }

    private void setHidden(boolean hidden) {
        page.evaluate("h => { Object.defineProperty(document, 'hidden', { value: h, configurable: true });"
                + " Object.defineProperty(document, 'visibilityState', { value: h ? 'hidden' : 'visible', configurable: true });"
                + " document.dispatchEvent(new Event('visibilitychange')); }", hidden);
    }

    /** Canvas pixels that are not fully transparent. */
    private int inkedPixels(String selector) {
        Object count = page.evaluate("s => { const c = document.querySelector(s); if (!c || !c.width) return 0;"
                + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                + " for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }", selector);
        return ((Number) count).intValue();
    }

    private JsonObject awaitFrame(List<JsonObject> frames, Predicate<JsonObject> wanted) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (JsonObject frame : frames) {
                if (wanted.test(frame)) {
                    return frame;
                }
            }
            page.waitForTimeout(100);
        }
        throw new AssertionError("no such frame on the wire; sent " + frames.size() + " frames");
    }

    /** A frame's JSON, from a text message or (the binary variant) from a binary one's UTF-8. */
    private static JsonObject json(com.microsoft.playwright.WebSocketFrame frame) {
        String text = frame.text();
        return json(text != null ? text : new String(frame.binary(), java.nio.charset.StandardCharsets.UTF_8));
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

}
