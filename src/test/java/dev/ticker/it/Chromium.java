package dev.ticker.it;

import static org.junit.jupiter.api.Assertions.fail;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The machine's Chromium (Debian's {@code chromium} package), driven by Playwright. Playwright never
 * downloads a browser of its own here. Without a Chromium the browser tests are skipped with a loud
 * message, unless {@code -Dbrowser.required=true} (set by CI) makes that a failure.
 */
final class Chromium implements AutoCloseable {

    private final Playwright playwright;
    private final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /** Launches headless Chromium, or skips (or fails, if required) the calling test class. */
    static Chromium launchOrSkip() {
        Path executable = Path.of(System.getProperty("chromium.path", "/usr/bin/chromium"));
        if (!Files.isExecutable(executable)) {
            String message = "No Chromium at " + executable + ": browser tests cannot run. Install it"
                    + " (apt-get install chromium) or point -Dchromium.path at one.";
            if (Boolean.getBoolean("browser.required")) {
                fail(message + " (-Dbrowser.required=true makes this a failure)");
            }
            System.err.println();
            System.err.println("!".repeat(100));
            System.err.println("!!! SKIPPING BROWSER TESTS. " + message);
            System.err.println("!".repeat(100));
            System.err.println();
            Assumptions.abort(message);
        }
        Playwright playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(executable)
                .setHeadless(true)
                // Root in a container needs --no-sandbox; the rest keeps Chromium off the network
                // it has no business reaching in a test.
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
        return new Chromium(playwright, browser);
    }

    Browser browser() {
        return browser;
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
