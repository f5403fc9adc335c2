package dev.ticker.it;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.assertions.LocatorAssertions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Behind a proxy that blocks WebSocket (Debian's nginx, dropping the Upgrade header: see
 * nginx-blocks-websocket.conf), the page goes live over Server-Sent Events within 10 s, says it
 * is on the fallback, subscribes and unsubscribes through the stream's control URL, and comes
 * back after the server restarts.
 */
class PageFallbackBrowserIT extends RedeployedTicker {

    private static final int PROXY_PORT = 18460;
    private static final Pattern CONTROL = Pattern.compile(".*/ticker/sse/quotes/[0-9a-f]{32}$");

    @Test
    void behindAProxyThatBlocksWebSocketThePageGoesLiveOnServerSentEvents() throws Exception {
        deployer.deploy(WAR);
        boolean deployed = true;
        List<String> uncaught = new CopyOnWriteArrayList<>();
        List<String> controlBodies = new CopyOnWriteArrayList<>();
        String upstream = "127.0.0.1:" + System.getProperty("it.http.port", "18181");
        try (Nginx proxy = Nginx.start("nginx-blocks-websocket.conf", PROXY_PORT, upstream);
             Chromium chromium = Chromium.launchOrSkip()) {
            BrowserContext context = chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
            Page page = context.newPage();
            page.onPageError(uncaught::add);
            page.onRequest((Request request) -> {
                if (request.method().equals("POST") && CONTROL.matcher(request.url()).matches()) {
                    controlBodies.add(request.postData());
                }
            });
            long started = System.nanoTime();
            page.navigate("http://127.0.0.1:" + proxy.port() + "/ticker/");
            assertThat(page.locator("#conn-state")).hasText("Live · fallback", text(10_000));
            System.out.println("PageFallbackBrowserIT: live on the fallback after "
                    + (System.nanoTime() - started) / 1_000_000 + " ms");
            assertThat(page.locator("#connection")).hasAttribute("data-transport", "sse");
            awaitPrices(page);
            assertTrue(controlBodies.stream().anyMatch(body -> body.contains("\"subscribe\"")),
                    () -> "the page subscribed through the control URL: " + controlBodies);

            // Unsubscribe and subscribe again, through the control URL.
            page.locator("tr[data-symbol='WMT'] td.remove button").click();
            assertThat(page.locator("tr[data-symbol='WMT']")).hasCount(0);
            page.locator("#add-symbol").fill("walmart");
            page.locator("#add-form button").click();
            assertThat(page.locator("tr[data-symbol='WMT'] td.last")).hasText(Pattern.compile("[0-9]"), text(10_000));
            assertTrue(controlBodies.stream().anyMatch(body -> body.contains("\"unsubscribe\"") && body.contains("WMT")),
                    () -> "the page unsubscribed through the control URL: " + controlBodies);
            String before = page.locator("tr[data-symbol='AAPL'] td.last").textContent();
            page.waitForCondition(() -> !page.locator("tr[data-symbol='AAPL'] td.last").textContent().equals(before),
                    new Page.WaitForConditionOptions().setTimeout(15_000));

            // The server restarts: the page says so, and comes back, on the fallback again.
            deployer.undeploy(WAR);
            deployed = false;
            assertThat(page.locator("#conn-state")).hasText("Reconnecting…", text(20_000));
            deployer.deploy(WAR);
            deployed = true;
            assertThat(page.locator("#conn-state")).hasText("Live · fallback", text(45_000));
            assertThat(page.locator("tr[data-symbol='WMT']")).hasCount(1);
            assertThat(page.locator("#quotes tbody tr.stale")).hasCount(0, new LocatorAssertions.HasCountOptions().setTimeout(15_000));
            String after = page.locator("tr[data-symbol='AAPL'] td.last").textContent();
            page.waitForCondition(() -> !page.locator("tr[data-symbol='AAPL'] td.last").textContent().equals(after),
                    new Page.WaitForConditionOptions().setTimeout(15_000));
            context.close();
        } finally {
            if (deployed) {
                deployer.undeploy(WAR);
            }
        }
        assertEquals(List.of(), uncaught, "uncaught script errors");
    }

    /** Until every row of the watchlist has a price (the reply to the subscription may drop rows past the server's limit first). */
    private static void awaitPrices(Page page) {
        page.waitForCondition(() -> page.locator("#quotes tbody tr").count() > 0
                        && page.locator("#quotes tbody td.last").allTextContents().stream().allMatch(t -> t.matches(".*[0-9].*")),
                new Page.WaitForConditionOptions().setTimeout(20_000));
    }

    private static LocatorAssertions.HasTextOptions text(double millis) {
        return new LocatorAssertions.HasTextOptions().setTimeout(millis);
    }
}
