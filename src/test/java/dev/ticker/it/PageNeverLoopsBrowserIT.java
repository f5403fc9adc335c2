package dev.ticker.it;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.WebSocket;
import com.microsoft.playwright.WebSocketRoute;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The page never loops: whatever the server or the network does, it does not hammer the server
 * with reconnects, does not repeat a request the server refused, never holds two sockets, and
 * holds none when there is nothing to watch (issue #19). Each test watches the page's sockets
 * from the browser's side. Tagged {@code page}, as {@link PageBrowserIT}.
 */
@Tag("page")
class PageNeverLoopsBrowserIT extends DeployedTicker {

    private static final int SUBSCRIBE_TIMEOUT_MILLIS = Integer.getInteger("it.subscribeTimeoutMillis", 5000);
    private static final Pattern STREAM = Pattern.compile(".*/ws/quotes(\\?.*)?$");

    private static Chromium chromium;
    private BrowserContext context;
    private Page page;
    private final List<String> uncaught = new CopyOnWriteArrayList<>();
    private final List<WebSocket> sockets = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void launch() {
        chromium = Chromium.launchOrSkip();
        PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
    }

    @AfterAll
    static void quit() {
        if (chromium != null) {
            chromium.close();
        }
    }

    @BeforeEach
    void newPage() {
        context = chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        page = context.newPage();
        // Refused handshakes and closes are what these tests provoke; script errors never are.
        page.onPageError(error -> uncaught.add(error));
        page.onWebSocket(sockets::add);
    }

    @AfterEach
    void closePage() {
        context.close();
        assertEquals(List.of(), uncaught, "uncaught script errors");
    }

    /**
     * A server that closes every connection right after its welcome: the page backs off (waits of
     * at least 0.5, 1, 2, 4 s, jittered above that) instead of resetting its backoff on each
     * welcome, which let it reconnect about twice a second for ever.
     */
    @Test
    void aServerThatClosesAfterEveryWelcomeIsRetriedAtGrowingIntervals() {
        List<Long> connected = new CopyOnWriteArrayList<>();
        page.routeWebSocket(STREAM, ws -> {
            connected.add(System.nanoTime());
            WebSocketRoute server = ws.connectToServer();
            ws.onMessage(message -> server.send(message.text()));
            server.onMessage(message -> {
                ws.send(message.text());
                if (message.text().contains("\"type\":\"welcome\"")) {
                    ws.close(new WebSocketRoute.CloseOptions().setCode(1011).setReason("test: closed after welcome"));
                    server.close();
                }
            });
        });
        page.navigate(base.toExternalForm());
        page.waitForTimeout(9_000);
        assertTrue(connected.size() >= 3 && connected.size() <= 5,
                "connections in 9 s: " + connected.size() + " (waits of at least 0.5, 1, 2 and 4 s allow 5)");
        for (int i = 2; i < connected.size(); i++) {
            long before = connected.get(i - 1) - connected.get(i - 2);
            long after = connected.get(i) - connected.get(i - 1);
            assertTrue(after > before * 0.9, "waits " + before / 1_000_000 + " ms then " + after / 1_000_000 + " ms");
        }
        assertThat(page.locator("#conn-state")).hasText("Reconnecting…");
    }

    /**
     * A server that closes with 1009 any subscribe of more than 5 symbols (its real limit lower
     * than the one it announced): the page never sends such a request again, splits its
     * subscription into smaller ones, and goes live with every row.
     */
    @Test
    void aRequestClosedAsTooLargeIsNeverSentAgain() {
        List<String> refused = new CopyOnWriteArrayList<>();
        List<String> sentAfter = new CopyOnWriteArrayList<>();
        page.routeWebSocket(STREAM, ws -> {
            WebSocketRoute server = ws.connectToServer();
            ws.onMessage(message -> {
                String text = message.text();
                JsonObject request = json(text);
                if (!refused.isEmpty()) {
                    sentAfter.add(text);
                }
                if (request.getString("type").equals("subscribe") && request.getJsonArray("symbols").size() > 5) {
                    refused.add(text);
                    ws.close(new WebSocketRoute.CloseOptions().setCode(1009).setReason("test: too big"));
                    server.close();
                    return;
                }
                server.send(text);
            });
            server.onMessage(message -> ws.send(message.text()));
        });
        page.navigate(base.toExternalForm());
        page.waitForCondition(() -> !refused.isEmpty(), new Page.WaitForConditionOptions().setTimeout(15_000));
        assertThat(page.locator("#conn-state")).hasText("Live", new com.microsoft.playwright.assertions.LocatorAssertions.HasTextOptions().setTimeout(30_000));
        page.waitForCondition(() -> page.locator("#quotes tbody tr").count() > 5
                        && page.locator("#quotes tbody td.last").allTextContents().stream().allMatch(t -> t.matches(".*[0-9].*")),
                new Page.WaitForConditionOptions().setTimeout(30_000));
        for (String request : sentAfter) {
            assertFalse(refused.contains(request), "sent again after it was refused: " + request);
        }
        // Smaller requests from the first refusal on: each later one at most half its size.
        int first = refused.get(0).length();
        for (String request : sentAfter) {
            JsonObject r = json(request);
            if (r.getString("type").equals("subscribe")) {
                assertTrue(request.length() <= first / 2 + 16, request.length() + " bytes after " + first + ": " + request);
            }
        }
    }

    /**
     * The browser's 'online' event while the page is still asking the server why its last
     * handshake failed: it connects at once, and when the answer comes it does not open a second
     * socket (the old page did, and took frames from both).
     */
    @Test
    void theOnlineEventRacingARetryOpensNoSecondSocket() {
        // The page comes from 127.0.0.1 and, while window.refuse is set, its socket goes to
        // localhost: a foreign origin to the server, which refuses the handshake (403).
        page.addInitScript("window.refuse = true; { const Native = WebSocket; window.WebSocket = class extends Native {"
                + " constructor(url, protocols) { super(window.refuse ? String(url).replace('//127.0.0.1:', '//localhost:') : url,"
                + " protocols); } }; }");
        List<Route> held = new CopyOnWriteArrayList<>();
        // The page's question to the server (a plain request to the stream's address) is held.
        page.route(url -> url.contains("/ws/quotes"), held::add);
        page.navigate("http://127.0.0.1:" + base.getPort() + base.getPath());
        page.waitForCondition(() -> !held.isEmpty(), new Page.WaitForConditionOptions().setTimeout(15_000));
        page.evaluate("() => { window.refuse = false; dispatchEvent(new Event('online')); }");
        assertThat(page.locator("#conn-state")).hasText("Live");
        page.waitForCondition(() -> page.locator("tr[data-symbol='AAPL'] td.last").textContent().matches(".*[0-9].*"),
                new Page.WaitForConditionOptions().setTimeout(15_000));
        held.forEach(Route::resume);                   // the answer to the old question comes now
        page.waitForTimeout(3_000);
        long open = sockets.stream().filter(socket -> !socket.isClosed()).count();
        assertEquals(1, open, "open sockets; opened " + sockets.size());
        assertThat(page.locator("#conn-state")).hasText("Live");
    }

    /**
     * With nothing on the watchlist the page holds no connection (the server would close it, 1008,
     * every subscribeTimeout, and the page reconnect); adding a symbol connects again.
     */
    @Test
    void anEmptyWatchlistHoldsNoConnection() {
        page.addInitScript("localStorage.setItem('ticker.watchlist.v1', JSON.stringify({ symbols: [],"
                + " sort: { key: null, descending: false } }))");
        page.navigate(base.toExternalForm());
        assertThat(page.locator("#conn-state")).hasText("Idle");
        assertThat(page.locator("#conn-reason")).containsText("add a symbol");
        page.waitForTimeout(SUBSCRIBE_TIMEOUT_MILLIS + 2_000);
        assertThat(page.locator("#conn-state")).hasText("Idle");
        assertTrue(sockets.stream().allMatch(WebSocket::isClosed), "a socket is open");
        // Only the one that brought the symbol list: the old page held it until the server closed it
        // (1008, nothing subscribed), then opened another.
        assertEquals(1, sockets.size(), "sockets opened");
        page.locator("#add-symbol").fill("AAPL");
        page.locator("#add-symbol").press("Enter");
        assertThat(page.locator("#conn-state")).hasText("Live");
        page.waitForCondition(() -> page.locator("tr[data-symbol='AAPL'] td.last").textContent().matches(".*[0-9].*"),
                new Page.WaitForConditionOptions().setTimeout(15_000));
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
