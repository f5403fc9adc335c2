package dev.ticker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import dev.ticker.stream.protocol.FrameContract;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.websocket.ClientEndpoint;
import jakarta.websocket.CloseReason;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A protocol v1 client for the ITs: an annotated Tyrus endpoint that offers {@code ticker.v1},
 * records the handshake, collects every frame, and checks that {@code seq} never skips.
 * {@link BinaryQuoteClient} is the same client for the {@code ticker.v1.binary} variant.
 */
@ClientEndpoint(subprotocols = "ticker.v1", configurator = HandshakeRecorder.class)
public class QuoteClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);

    private final LinkedBlockingDeque<JsonObject> frames = new LinkedBlockingDeque<>();
    private final List<String> seqProblems = new CopyOnWriteArrayList<>();
    private final List<String> contractProblems = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger requestsOutsideContract = new java.util.concurrent.atomic.AtomicInteger();
    private final List<String> refusals = new CopyOnWriteArrayList<>();
    private final java.util.Map<String, JsonObject> lastQuotes = new java.util.concurrent.ConcurrentHashMap<>();
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    private final java.util.concurrent.atomic.AtomicInteger textMessages = new java.util.concurrent.atomic.AtomicInteger();
    private volatile Session session;
    private volatile long closedAt;
    private long lastSeq;

    /** Connects to {@code uri} and returns once the handshake is done. */
    public static QuoteClient connect(URI uri) throws Exception {
        WebSocketContainer container = ContainerProvider.getWebSocketContainer();
        QuoteClient client = new QuoteClient();
        container.connectToServer(client, uri);
        return client;
    }

    @OnOpen
    public void opened(Session session) {
        this.session = session;
    }

    @OnMessage
    public void received(String text) {
        textMessages.incrementAndGet();
        frame(text);
    }

    /** Takes one server frame, whichever kind of message brought it. */
    protected void frame(String text) {
        // Every frame any IT receives, on every server, must be one the published contract allows.
        for (String error : FrameContract.serverFrameErrors(text)) {
            contractProblems.add(error + " in " + (text.length() > 300 ? text.substring(0, 300) + "…" : text));
        }
        JsonObject frame;
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            frame = reader.readObject();
        }
        long seq = frame.getJsonNumber("seq").longValueExact();
        if (seq != lastSeq + 1) {
            seqProblems.add("after seq " + lastSeq + " came " + seq + " (" + frame.getString("type") + ")");
        }
        lastSeq = seq;
        if (FrameContract.isRefusal(frame)) {
            refusals.add(text);
        }
        if (frame.get("data") instanceof jakarta.json.JsonArray data) {     // snapshot, ticks
            for (JsonObject quote : data.getValuesAs(JsonObject.class)) {
                lastQuotes.put(quote.getString("symbol"), quote);
            }
        }
        frames.add(frame);
    }

    @OnClose
    public void closed(CloseReason reason) {
        closedAt = System.currentTimeMillis();
        closed.complete(reason);
    }

    /** When the close arrived, epoch ms (the wall clock, as the server's {@code closesAt}); 0 before. */
    public long closedAt() {
        return closedAt;
    }

    public Session session() {
        return session;
    }

    /** Sends a request, which may be one the contract does not allow: see {@link #close}. */
    public void send(String text) throws IOException {
        noteRequest(text);
        session.getBasicRemote().sendText(text);
    }

    public void sendBinary(byte[] bytes) throws IOException {
        noteRequest(new String(bytes, StandardCharsets.UTF_8));
        session.getBasicRemote().sendBinary(ByteBuffer.wrap(bytes));
    }

    private void noteRequest(String text) {
        if (!FrameContract.clientRequestErrors(text).isEmpty()) {
            requestsOutsideContract.incrementAndGet();
        }
    }

    /**
     * Sends a frame the server is to answer by closing the connection. The Tyrus client can lose
     * the race with that close inside its own send (seen once on Tomcat: the client session's
     * executor shut down by the close while the send rescheduled its idle timeout, a
     * RejectedExecutionException), so a failed send is fine here: the caller asserts the close.
     */
    public void sendExpectingClose(String text) {
        try {
            send(text);
        } catch (IOException | RuntimeException closedMeanwhile) {
            // the close code is what the test checks
        }
    }

    /** As {@link #sendExpectingClose(String)}, for a binary frame. */
    public void sendBinaryExpectingClose(byte[] bytes) {
        try {
            sendBinary(bytes);
        } catch (IOException | RuntimeException closedMeanwhile) {
            // the close code is what the test checks
        }
    }

    /** The next frame, whatever its type; fails after {@link #WAIT}. */
    public JsonObject next() throws InterruptedException {
        JsonObject frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(frame, "no frame within " + WAIT);
        return frame;
    }

    /** The next frame, which must be of {@code type}. */
    public JsonObject expect(String type) throws InterruptedException {
        JsonObject frame = next();
        assertEquals(type, frame.getString("type"), () -> "expected a " + type + " frame, got " + frame);
        return frame;
    }

    /** Skips frames (ticks, heartbeats) until one matches, failing after {@code timeout}. */
    public JsonObject await(Predicate<JsonObject> wanted, Duration timeout, String what) throws InterruptedException {
        return await(wanted, timeout, () -> what);
    }

    /** As {@link #await(Predicate, Duration, String)}, describing what was awaited only if it fails. */
    public JsonObject await(Predicate<JsonObject> wanted, Duration timeout, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonObject frame = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
            if (frame == null) {
                fail("no " + what.get() + " within " + timeout
                        + (closed.isDone() ? "; the connection was closed: " + closed.getNow(null) : ""));
            }
            if (wanted.test(frame)) {
                return frame;
            }
        }
    }

    public JsonObject awaitType(String type) throws InterruptedException {
        return await(f -> f.getString("type").equals(type), WAIT, type + " frame");
    }

    /** The close reason, waiting up to {@link #WAIT} for the server to close. */
    public CloseReason awaitClose() throws InterruptedException, ExecutionException {
        return awaitClose(WAIT);
    }

    /** The close reason, waiting up to {@code timeout} for the server to close. */
    public CloseReason awaitClose(Duration timeout) throws InterruptedException, ExecutionException {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the server did not close the connection within " + timeout);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** The frames received and not yet taken by {@link #next()} or {@link #await}. */
    public List<JsonObject> received() {
        return List.copyOf(frames);
    }

    /** The last quote of {@code symbol} received in any snapshot or ticks frame, or null. */
    public JsonObject lastQuote(String symbol) {
        return lastQuotes.get(symbol);
    }

    /** How many server frames came as text messages. */
    public int textMessages() {
        return textMessages.get();
    }

    /** Every place where {@code seq} did not go up by exactly one. */
    public List<String> seqProblems() {
        return seqProblems;
    }

    /** Where a frame received broke docs/ticker.v1.asyncapi.yaml; {@link #close} fails on any. */
    public List<String> contractProblems() {
        return contractProblems;
    }

    /**
     * Closes the connection; then fails if any frame received broke the published contract, or if
     * the server refused a request (BAD_REQUEST, UNKNOWN_TYPE) while every request sent was one
     * the contract allows.
     */
    @Override
    public void close() throws IOException {
        Session current = session;
        if (current != null && current.isOpen()) {
            current.close();
        }
        FrameContract.assertKept(contractProblems, requestsOutsideContract.get(), refusals);
    }
}
