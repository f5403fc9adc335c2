package dev.ticker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ticker.stream.protocol.FrameContract;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A client of the stream over Server-Sent Events, as docs/protocol.md describes it: reads the
 * event stream on a thread of its own (checking that every frame's event id is its {@code seq},
 * and that {@code seq} goes up by one), and posts requests to the stream's control URL.
 */
public final class SseClient implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final LinkedBlockingDeque<JsonObject> frames = new LinkedBlockingDeque<>();
    private final List<String> seqProblems = new CopyOnWriteArrayList<>();
    private final List<String> contractProblems = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger requestsOutsideContract = new java.util.concurrent.atomic.AtomicInteger();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final CompletableFuture<JsonObject> closed = new CompletableFuture<>();
    private final CompletableFuture<URI> control = new CompletableFuture<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final HttpResponse<InputStream> response;
    private final URI origin;
    private final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean answerPings = true;
    private volatile String retry;
    private volatile String lastEvent = "none";
    private volatile String endedBy = "";
    private long lastSeq;

    private SseClient(HttpResponse<InputStream> response, URI origin) {
        this.response = response;
        this.origin = origin;
    }

    /** Opens a stream at {@code uri} ({@code http://host:port/ticker/sse/quotes}), returning once the response's head arrived. */
    public static SseClient open(URI uri) throws IOException, InterruptedException {
        return open(uri, List.of());
    }

    /** As {@link #open(URI)}, sending {@code headers} (name, value, name, value, ...). */
    public static SseClient open(URI uri, List<String> headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        for (int i = 0; i + 1 < headers.size(); i += 2) {
            request.header(headers.get(i), headers.get(i + 1));
        }
        HttpResponse<InputStream> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        SseClient client = new SseClient(response, URI.create(uri.getScheme() + "://" + uri.getRawAuthority()));
        if (response.statusCode() == 200) {
            Thread reader = new Thread(client::read, "sse-client");
            reader.setDaemon(true);
            reader.start();
        } else {
            client.ended.complete(null);
        }
        return client;
    }

    public HttpResponse<InputStream> response() {
        return response;
    }

    public int status() {
        return response.statusCode();
    }

    /** The body of a refused stream (not 200). */
    public String body() throws IOException {
        try (InputStream in = response.body()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String event = null;
            String id = null;
            StringBuilder data = new StringBuilder();
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        dispatch(event, id, data.toString());
                    }
                    event = null;
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    continue;
                } else if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("id: ")) {
                    id = line.substring(4);
                } else if (line.startsWith("data: ")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring(6));
                } else if (line.startsWith("retry: ")) {
                    retry = line.substring(7);
                } else {
                    seqProblems.add("a line no event field begins: " + line);
                }
            }
        } catch (IOException e) {
            // closed by close(), or the server went away
            endedBy = " (" + e + ")";
        } catch (RuntimeException e) {
            endedBy = " (the reader failed: " + e + ")";
            throw e;
        } finally {
            ended.complete(null);
        }
    }

    private void dispatch(String event, String id, String data) {
        lastEvent = (event == null ? "" : "event " + event + ", ") + (data.length() > 120 ? data.substring(0, 120) + "…" : data);
        // Every event any IT receives, on every server, must be one the published contract allows.
        String schema = event == null ? null : switch (event) {
            case "stream" -> "SseStreamInfo";
            case "ping" -> "SsePing";
            case "close" -> "SseClose";
            default -> "";
        };
        List<String> errors = schema == null ? FrameContract.serverFrameErrors(data)
                : schema.isEmpty() ? List.of() : FrameContract.errors(schema, data);
        for (String error : errors) {
            contractProblems.add(error + " in event " + event + ": " + (data.length() > 300 ? data.substring(0, 300) + "…" : data));
        }
        JsonObject json;
        try (JsonReader reader = Json.createReader(new StringReader(data))) {
            json = reader.readObject();
        }
        if ("stream".equals(event)) {
            control.complete(origin.resolve(json.getString("control")));
        } else if ("ping".equals(event)) {
            pings.incrementAndGet();
            if (answerPings) {
                String payload = json.getString("payload");
                control.thenAccept(uri -> HTTP.sendAsync(HttpRequest.newBuilder(URI.create(uri + "/pong"))
                        .POST(HttpRequest.BodyPublishers.ofString(payload)).build(), HttpResponse.BodyHandlers.discarding()));
            }
        } else if ("close".equals(event)) {
            closed.complete(json);
        } else if (event == null) {
            long seq = json.getJsonNumber("seq").longValueExact();
            if (!String.valueOf(seq).equals(id)) {
                seqProblems.add("event id " + id + " on the frame of seq " + seq);
            }
            if (seq != lastSeq + 1) {
                seqProblems.add("after seq " + lastSeq + " came " + seq + " (" + json.getString("type") + ")");
            }
            lastSeq = seq;
            if (FrameContract.isRefusal(json)) {
                refusals.add(data);
            }
            frames.add(json);
        } else {
            seqProblems.add("an event of unknown type " + event);
        }
    }

    /** The stream's control URL, from its first event. */
    public URI control() throws Exception {
        return control.get(QuoteClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** From now on, reads the pings but does not answer them. */
    public void ignorePings() {
        answerPings = false;
    }

    /** Pings read. */
    public int pings() {
        return pings.get();
    }

    /** The value of the {@code retry} field, once read. */
    public String retry() {
        return retry;
    }

    /** Posts one request to the stream's control URL; returns the HTTP status. */
    public int send(String json) throws Exception {
        if (!FrameContract.clientRequestErrors(json).isEmpty()) {
            requestsOutsideContract.incrementAndGet();
        }
        return post(control(), json).statusCode();
    }

    /** Posts {@code body} to {@code uri}. */
    public static HttpResponse<String> post(URI uri, String body) throws IOException, InterruptedException {
        return post(uri, body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Posts {@code body} to {@code uri} with {@code headers} (name, value, ...), over HTTP/1.1 as
     * every request of these tests: the JDK client's default, HTTP/2, asks plain-HTTP servers for
     * an h2c upgrade, which no browser does and Payara Micro fails on a request with a body.
     */
    public static HttpResponse<String> post(URI uri, byte[] body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code method} with no body to {@code uri}; returns the status. */
    public static int request(String method, URI uri) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    public JsonObject next() throws InterruptedException {
        JsonObject frame = frames.poll(QuoteClient.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(frame, "no frame within " + QuoteClient.WAIT);
        return frame;
    }

    public JsonObject expect(String type) throws InterruptedException {
        JsonObject frame = next();
        assertEquals(type, frame.getString("type"), () -> "expected a " + type + " frame, got " + frame);
        return frame;
    }

    public JsonObject await(Predicate<JsonObject> wanted, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonObject frame = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
            if (frame == null) {
                fail("no " + what + " within " + timeout + (closed.isDone() ? "; closed: " + closed.getNow(null) : ""));
            }
            if (wanted.test(frame)) {
                return frame;
            }
        }
    }

    public JsonObject awaitType(String type) throws InterruptedException {
        return await(f -> f.getString("type").equals(type), QuoteClient.WAIT, type + " frame");
    }

    /** The close event ({@code code}, {@code reason}), waiting up to {@code timeout}; also checks that the response then ended. */
    public JsonObject awaitClose(Duration timeout) throws Exception {
        JsonObject close;
        try {
            close = closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the server sent no close event within " + timeout + "; the response "
                    + (ended.isDone() ? "ended" + endedBy : "is still open") + "; the last event: " + lastEvent);
        }
        awaitEnd(Duration.ofSeconds(5));
        return close;
    }

    public JsonObject awaitClose() throws Exception {
        return awaitClose(QuoteClient.WAIT);
    }

    /** Waits for the response to end. */
    public void awaitEnd(Duration timeout) throws Exception {
        try {
            ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the response did not end within " + timeout);
        }
    }

    public boolean isClosed() {
        return closed.isDone() || ended.isDone();
    }

    public List<String> seqProblems() {
        return seqProblems;
    }

    /**
     * Goes away: closes the connection without a word, as a closed browser tab does; then fails as
     * {@link QuoteClient#close} does, on events that broke the contract and on refusals of requests
     * it allows.
     */
    @Override
    public void close() throws IOException {
        response.body().close();
        FrameContract.assertKept(contractProblems, requestsOutsideContract.get(), refusals);
    }

    /** Where an event received broke docs/ticker.v1.asyncapi.yaml; {@link #close} fails on any. */
    public List<String> contractProblems() {
        return contractProblems;
    }
}
