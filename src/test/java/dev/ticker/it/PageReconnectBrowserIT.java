package dev.ticker.it;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The page rides out the server going away: it says so, retries, and comes back as it was. */
class PageReconnectBrowserIT extends RedeployedTicker {


    @Test
    void thePageReconnectsWithItsWatchlistWhenTheServerComesBack() throws Exception {
        deployer.deploy(WAR);
        boolean deployed = true;
        List<String> uncaught = new CopyOnWriteArrayList<>();
        try (Chromium chromium = Chromium.launchOrSkip()) {
            BrowserContext context = chromium.browser().newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
            Page page = context.newPage();
            // Network errors are expected here (the server is gone for a while); script errors are not.
            page.onPageError(error -> uncaught.add(error));
            page.navigate(httpBase());
            assertThat(page.locator("#conn-state")).hasText("Live", text(20_000));
            // "Live" comes with the welcome, before the reply to the page's subscription: wait for
            // that reply (it can drop rows past the server's symbol limit) and the snapshot after it,
            // i.e. until every row has a price. Counting the rows earlier once counted dropped ones.
            page.waitForCondition(() -> page.locator("#quotes tbody tr").count() > 0
                            && page.locator("#quotes tbody td.last").allTextContents().stream().allMatch(t -> t.matches(".*[0-9].*")),
                    new Page.WaitForConditionOptions().setTimeout(20_000));
            page.locator("tr[data-symbol='META'] td.remove button").click();
            int rows = page.locator("#quotes tbody tr").count();

            deployer.undeploy(WAR);
            deployed = false;
            assertThat(page.locator("#conn-state")).hasText("Reconnecting…", text(20_000));
            assertThat(page.locator("#connection")).hasAttribute("data-state", "reconnecting");
            assertThat(page.locator("#conn-reason")).not().isEmpty();
            // Prices that stop updating are marked stale rather than shown as if current.
            assertThat(page.locator("#quotes tbody tr.stale").first()).isVisible(
                    new LocatorAssertions.IsVisibleOptions().setTimeout(25_000));

            deployer.deploy(WAR);
            deployed = true;
            assertThat(page.locator("#conn-state")).hasText("Live", text(45_000));
            assertThat(page.locator("#quotes tbody tr")).hasCount(rows);
            assertThat(page.locator("tr[data-symbol='META']")).hasCount(0);
            assertThat(page.locator("#quotes tbody tr.stale")).hasCount(0);
            // Fresh prices after the snapshot of the new connection.
            String before = page.locator("tr[data-symbol='AAPL'] td.last").textContent();
            page.waitForCondition(() -> !page.locator("tr[data-symbol='AAPL'] td.last").textContent().equals(before),
                    new Page.WaitForConditionOptions().setTimeout(15_000));
            assertThat(page.locator("tr[data-symbol='AAPL'] td.last")).hasText(Pattern.compile("[0-9]"));
            context.close();
        } finally {
            if (deployed) {
                deployer.undeploy(WAR);
            }
        }
        assertEquals(List.of(), uncaught, "uncaught script errors");
    }

    private static LocatorAssertions.HasTextOptions text(double millis) {
        return new LocatorAssertions.HasTextOptions().setTimeout(millis);
    }
}
