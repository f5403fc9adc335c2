package dev.ticker.loadgen;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One protocol v1 client on the JDK's {@link WebSocket}: subscribes once welcomed, then counts
 * frames and quotes, records each quote's latency and checks that {@code seq} never skips.
 */
final class Client implements WebSocket.Listener {

    static final java.time.Duration HANDSHAKE_TIMEOUT = java.time.Duration.ofSeconds(30);

    private final Stats stats;
    private final int symbols;              // 0: all ("*"), else that many at random
    private final Random random;
    private final StringBuilder partial = new StringBuilder(4096);
    private volatile boolean measuring;
    private volatile boolean closing;
    private long lastSeq;
    private WebSocket socket;

    Client(Stats stats, int symbols, long seed) {
        this.stats = stats;
        this.symbols = symbols;
        this.random = new Random(seed);
    }

    CompletableFuture<WebSocket> connect(HttpClient http, URI uri) {
        long start = System.nanoTime();
        return http.newWebSocketBuilder()
                .subprotocols("ticker.v1")
                // Covers the whole opening handshake: a server that accepts the TCP connection but
                // never answers the upgrade must count as a failed handshake, not hang the run.
                .connectTimeout(HANDSHAKE_TIMEOUT)
                .buildAsync(uri, this)
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        stats.handshakesFailed.increment();
                    } else {
                        socket = ws;
                        stats.connected.increment();
                        stats.handshake.recordValue(Math.max(0, (System.nanoTime() - start) / 1_000_000));
                    }
                });
    }

    /** From now on quotes are parsed, timed and counted (before, the clients were still connecting). */
    void measure(boolean on) {
        measuring = on;
    }

    void close() {
        closing = true;
        WebSocket ws = socket;
        if (ws != null && !ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        if (!last) {
            partial.append(data);
            webSocket.request(1);
            return null;
        }
        String frame;
        if (partial.length() > 0) {
            frame = partial.append(data).toString();
        } else {
            frame = data.toString();
        }
        receive(webSocket, frame);
        partial.setLength(0);
        webSocket.request(1);
        return null;
    }

    private void receive(WebSocket webSocket, String frame) {
        long seq = Frames.seq(frame);
        if (seq != lastSeq + 1) {
            stats.seqGaps.increment();
        }
        lastSeq = seq;
        String type = Frames.type(frame);
        if (type == null) {
            return;
        }
        switch (type) {
            case "welcome" -> webSocket.sendText(symbols == 0 ? SUBSCRIBE_ALL : subscribe(frame, symbols, random), true);
            case "ticks", "snapshot" -> {
                if (measuring) {
                    stats.frames.increment();
                    long now = System.currentTimeMillis();
                    int n = Frames.quoteTimes(frame, ts -> stats.latency.recordValue(Math.max(0, now - ts)));
                    stats.quotes.add(n);
                }
            }
            case "heartbeat" -> stats.heartbeats.increment();
            case "error" -> stats.errorsReceived.increment();
            default -> { }
        }
    }

    static final String SUBSCRIBE_ALL = "{\"type\":\"subscribe\",\"symbols\":[\"*\"],\"snapshot\":false}";

    /** A subscription to {@code symbols} of the welcome's universe (its {@code "symbols"} array), at random. */
    static String subscribe(String welcome, int symbols, Random random) {
        int start = welcome.indexOf("\"symbols\":[") + 11;
        int end = welcome.indexOf(']', start);
        List<String> universe = new ArrayList<>(List.of(welcome.substring(start, end).split(",")));
        Collections.shuffle(universe, random);
        return "{\"type\":\"subscribe\",\"symbols\":[" + String.join(",", universe.subList(0, Math.min(symbols, universe.size())))
                + "],\"snapshot\":false}";
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (!closing) {
            stats.unexpectedClose(statusCode, reason);
        }
        stats.connected.decrement();
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        if (!closing) {
            stats.unexpectedClose(-1, error + (error.getCause() != null ? ", caused by " + error.getCause() : ""));
        }
        stats.connected.decrement();
    }
}
