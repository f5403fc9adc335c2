package dev.ticker.it;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.WebSocket;
import com.microsoft.playwright.assertions.LocatorAssertions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;

/**
 * A universe far larger than one connection may subscribe to ({@code ticker.symbols=2000}, the WAR
 * under {@code /ticker-big}): a first visit watches the first {@code maxSymbols} symbols and stays
 * live on one socket. The old page subscribed to all 2,000 in one frame of 16 KB, over
 * {@code maxMessageBytes}, was closed with 1009 and did it again on every reconnect.
 */
class BigUniverseBrowserIT extends RedeployedTicker {

    static final String BIG = "ticker-big";
    private static final int MAX_SYMBOLS = Integer.getInteger("it.maxSymbols", 20);

    @Deployment(name = BIG, managed = false, testable = false)
    static WebArchive bigDeployment() {
        return TickerDeployment.withContextParam(BIG, "ticker.symbols", "30", "2000");
    }

    @Test
    void aFirstVisitWatchesTheFirstMaxSymbolsAndStaysLive() {
        deployer.deploy(BIG);
        List<String> uncaught = new CopyOnWriteArrayList<>();
        List<WebSocket> sockets = new CopyOnWriteArrayList<>();
        try (Chromium chromium = Chromium.launchOrSkip()) {
            BrowserContext context = chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
            Page page = context.newPage();
            page.onPageError(error -> uncaught.add(error));
            page.onWebSocket(sockets::add);
            page.navigate(httpBase().replace("/ticker/", "/" + BIG + "/"));
            assertThat(page.locator("#conn-state")).hasText("Live", new LocatorAssertions.HasTextOptions().setTimeout(20_000));
            assertThat(page.locator("#quotes tbody tr")).hasCount(MAX_SYMBOLS);
            assertThat(page.locator("#quotes tbody tr").first()).hasAttribute("data-symbol", "AAPL");
            page.waitForCondition(() -> page.locator("#quotes tbody td.last").allTextContents().stream()
                    .allMatch(t -> t.matches(".*[0-9].*")), new Page.WaitForConditionOptions().setTimeout(20_000));
            page.waitForTimeout(5_000);
            assertThat(page.locator("#conn-state")).hasText("Live");
            assertEquals(1, sockets.size(), "sockets opened");
            assertThat(page.locator("#notice")).isHidden();
            context.close();
        } finally {
            deployer.undeploy(BIG);
        }
        assertEquals(List.of(), uncaught, "uncaught script errors");
    }
}
