package dev.ticker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.WaitForSelectorState;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The client examples of {@code examples/} (README there) against the deployed WAR, each as its
 * users run it: Node, Python and Java as child processes with {@code --seconds 5}, which must exit
 * 0 having printed quote lines of the symbols they were given; the browser example in Chromium,
 * served from a port of its own (so on another origin, which its deployment allows with
 * {@code ticker.allowedOrigins}), with the page's {@code ticker-socket.js} fetched from the server.
 *
 * <p>A missing runtime (node and npm, Debian's python3-websockets, Chromium) skips its example with
 * a loud message, or fails it with {@code -Dexamples.required=true} (set by CI). Only in the
 * default leg, GlassFish embedded: the examples test the clients, which one server shows as well
 * as five, and the other legs have their own time to mind.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@EnabledIfSystemProperty(named = "arquillian.launch", matches = "glassfish-embedded",
        disabledReason = "the examples run in the default leg (GlassFish embedded) only")
class ExamplesIT {

    static final String NAME = "ticker-examples";
    // The browser example's own origin; a fixed port, as the deployment must name it beforehand.
    private static final int PAGE_PORT = 18190;
    private static final String PAGE_ORIGIN = "http://127.0.0.1:" + PAGE_PORT;
    private static final int SECONDS = 5;
    private static final Duration HARD_LIMIT = Duration.ofSeconds(SECONDS + 25);
    private static final Pattern QUOTE_LINE = Pattern.compile("(AAPL|MSFT) [0-9]+\\.[0-9]{2}");
    private static final Path EXAMPLES = Path.of(System.getProperty("basedir", "."), "examples").toAbsolutePath();
    private static final Path LOGS = Path.of(System.getProperty("basedir", "."), "target", "examples").toAbsolutePath();

    @Deployment(name = NAME, testable = false)
    static WebArchive deployment() {
        return TickerDeployment.withContextParam(NAME, "ticker.allowedOrigins", "", PAGE_ORIGIN);
    }

    /** {@code http://host:port/ticker-examples/}. */
    @ArquillianResource
    URL base;

    private String stream() {
        return TickerDeployment.streamUri(base).toString();
    }

    @Test
    void node() throws Exception {
        Path dir = EXAMPLES.resolve("node");
        require("node", runs(dir, "node", "--version") && runs(dir, "npm", "--version"),
                "Node.js and npm are needed (apt-get install nodejs npm)");
        if (!Files.isRegularFile(dir.resolve("node_modules/ws/package.json"))) {
            Run install = run("node-npm-ci", dir, Duration.ofSeconds(180),
                    List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"));
            if (install.exit != 0) {
                fail("npm ci in " + dir + " failed:\n" + install.output);
            }
        }
        assertPrintsQuotes("node", run("node", dir, HARD_LIMIT,
                List.of("node", "client.mjs", stream(), "AAPL", "MSFT", "--seconds", String.valueOf(SECONDS))));
    }

    @Test
    void python() throws Exception {
        Path dir = EXAMPLES.resolve("python");
        // Debian's python3-websockets is for Debian's Python; PyPI is not always reachable here.
        String python = System.getProperty("examples.python", "/usr/bin/python3");
        require("python", runs(dir, python, "-c", "import websockets"),
                python + " cannot import websockets (apt-get install python3-websockets, or point"
                        + " -Dexamples.python at a Python that has it)");
        assertPrintsQuotes("python", run("python", dir, HARD_LIMIT,
                List.of(python, "client.py", stream(), "AAPL", "MSFT", "--seconds", String.valueOf(SECONDS))));
    }

    @Test
    void java() throws Exception {
        // The JDK running this test, in source-file mode, as the README says.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        assertPrintsQuotes("java", run("java", EXAMPLES.resolve("java"), HARD_LIMIT,
                List.of(java, "TickerClient.java", stream(), "AAPL", "MSFT", "--seconds", String.valueOf(SECONDS))));
    }

    @Test
    void browser() throws Exception {
        Path chromiumPath = Path.of(System.getProperty("chromium.path", "/usr/bin/chromium"));
        require("browser", Files.isExecutable(chromiumPath), "no Chromium at " + chromiumPath + " (apt-get install chromium)");
        // What the README has users do: ticker-socket.js downloaded from the server, next to the page.
        HttpResponse<byte[]> module = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(base.toExternalForm() + "js/ticker-socket.js")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, module.statusCode(), "js/ticker-socket.js from the server");
        Path dir = EXAMPLES.resolve("browser");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), PAGE_PORT), 0);
        server.createContext("/", exchange -> serve(exchange, dir, module.body()));
        server.start();
        List<String> console = new CopyOnWriteArrayList<>();
        try (Chromium chromium = Chromium.launchOrSkip()) {
            Page page = chromium.browser().newPage();
            page.onConsoleMessage(message -> {
                if (message.type().equals("error")) {
                    console.add("console.error: " + message.text());
                }
            });
            page.onPageError(error -> console.add("uncaught: " + error));
            page.navigate(PAGE_ORIGIN + "/?url=" + URLEncoder.encode(stream(), StandardCharsets.UTF_8)
                    + "&symbols=AAPL,MSFT&seconds=" + SECONDS);
            String exit;
            try {
                page.waitForSelector("body[data-exit-code]", new Page.WaitForSelectorOptions()
                        .setState(WaitForSelectorState.ATTACHED).setTimeout(HARD_LIMIT.toMillis()));
                exit = page.getAttribute("body", "data-exit-code");
            } catch (PlaywrightException e) {
                exit = "none within " + HARD_LIMIT.toSeconds() + " s";
            }
            String output = page.textContent("#log") + page.textContent("#quotes") + String.join("\n", console);
            assertPrintsQuotes("browser", new Run(exit.equals("0") ? 0 : -1, "exit code " + exit + "\n" + output));
            assertEquals(List.of(), console, "errors in the browser console");
        } finally {
            server.stop(0);
        }
    }

    /** The examples' own files from {@code dir}, and ticker-socket.js as the server served it. */
    private static void serve(HttpExchange exchange, Path dir, byte[] module) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Path file = dir.resolve(path.equals("/") ? "index.html" : path.substring(1)).normalize();
            byte[] body = path.equals("/ticker-socket.js") ? module
                    : file.startsWith(dir) && Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type",
                    path.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** What an example printed (stdout and stderr together) and its exit status (-1: killed). */
    private record Run(int exit, String output) {
    }

    /** Runs {@code command} in {@code dir}, killing it and its children after {@code limit}. */
    private static Run run(String name, Path dir, Duration limit, List<String> command) throws Exception {
        Files.createDirectories(LOGS);
        File log = LOGS.resolve(name + ".log").toFile();
        Process process = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log).start();
        boolean exited = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        String output = new String(Files.readAllBytes(log.toPath()), StandardCharsets.UTF_8);
        return new Run(exited ? process.exitValue() : -1,
                (exited ? "" : "KILLED after " + limit.toSeconds() + " s\n") + "$ " + String.join(" ", command) + "\n" + output);
    }

    /** Whether {@code command} runs and exits 0 within 30 s (false if it is not there at all). */
    private static boolean runs(Path dir, String... command) {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void assertPrintsQuotes(String name, Run run) {
        List<String> quotes = run.output.lines().filter(line -> QUOTE_LINE.matcher(line).matches()).toList();
        if (run.exit != 0 || quotes.isEmpty()) {
            System.out.println("=== ExamplesIT: the " + name + " example's output\n" + run.output + "\n=== end of " + name);
            fail("the " + name + " example exited " + run.exit + " with " + quotes.size()
                    + " quote lines (want 0 and at least one); its output:\n" + run.output);
        }
        System.out.println("ExamplesIT: " + name + " exited 0 with " + quotes.size() + " quote lines, e.g. " + quotes.get(0));
    }

    /** Skips an example whose runtime is missing, loudly; fails it instead with -Dexamples.required=true. */
    private static void require(String example, boolean present, String message) {
        if (present) {
            return;
        }
        String text = "the " + example + " example cannot run: " + message;
        if (Boolean.getBoolean("examples.required")) {
            fail(text + " (-Dexamples.required=true makes this a failure)");
        }
        System.err.println();
        System.err.println("!".repeat(100));
        System.err.println("!!! SKIPPING: " + text);
        System.err.println("!".repeat(100));
        System.err.println();
        Assumptions.abort(text);
    }
}
