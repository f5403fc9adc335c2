package dev.ticker.loadgen;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A client of a cluster that keeps what it saw: subscribed to every symbol, it files each quote
 * it receives in a shared {@link Book} by trade (symbol and cumulative volume, which grows with
 * every trade), checks {@code seq} on each connection, and, when its connection ends, connects
 * again (through the load balancer, after 100-500 ms) and takes a fresh snapshot, as the page does.
 * Each arrival of quotes and each close and snapshot is timed on {@link System#nanoTime()}.
 */
final class QuoteRecorder implements WebSocket.Listener {

    /** Every quote any recorder saw, by trade, and on which nodes; conflicting bytes counted. */
    static final class Book {
        private final Map<String, String> quotes = new ConcurrentHashMap<>();
        private final Map<String, Integer> nodes = new ConcurrentHashMap<>();
        final LongAdder conflicts = new LongAdder();
        final List<String> examples = new ArrayList<>();

        void file(String node, String quote) {
            String key = field(quote, "\"symbol\":\"", '"') + "@" + field(quote, "\"volume\":", ',');
            String before = quotes.putIfAbsent(key, quote);
            if (before != null && !before.equals(quote)) {
                conflicts.increment();
                synchronized (examples) {
                    if (examples.size() < 5) {
                        examples.add(node + ": " + quote + " vs " + before);
                    }
                }
            }
            int bit = 1 << Math.min(30, Math.max(0, nodeNumber(node)));
            nodes.merge(key, bit, (a, b) -> a | b);
        }

        /** Trades at least two nodes delivered. */
        long onSeveralNodes() {
            return nodes.values().stream().filter(mask -> Integer.bitCount(mask) > 1).count();
        }

        long trades() {
            return quotes.size();
        }

        private static int nodeNumber(String node) {
            try {
                return Integer.parseInt(node.substring(node.lastIndexOf('-') + 1));
            } catch (RuntimeException e) {
                return 0;
            }
        }

        private static String field(String quote, String name, char end) {
            int start = quote.indexOf(name) + name.length();
            int stop = quote.indexOf(end, start);
            return quote.substring(start, stop < 0 ? quote.length() : stop);
        }
    }

    private final HttpClient http;
    private final URI again;
    private final Book book;
    private final StringBuilder partial = new StringBuilder();
    private final List<Long> arrivals = new ArrayList<>();          // ms, monotonic, of frames with quotes
    private final List<Long> closes = new ArrayList<>();            // ms, monotonic
    private final List<Long> snapshots = new ArrayList<>();         // ms, monotonic
    private final LongAdder seqGaps;
    private volatile String node = "";
    private volatile boolean closing;
    private volatile WebSocket socket;
    private long lastSeq;

    /** Connects to {@code first}; connects again to {@code again} whenever the connection ends. */
    QuoteRecorder(HttpClient http, URI first, URI again, Book book, LongAdder seqGaps) {
        this.http = http;
        this.again = again;
        this.book = book;
        this.seqGaps = seqGaps;
        connect(first);
    }

    private void connect(URI uri) {
        http.newWebSocketBuilder().subprotocols("ticker.v1").connectTimeout(java.time.Duration.ofSeconds(10))
                .buildAsync(uri, this)
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        retry();
                    }
                });
    }

    private void retry() {
        if (closing) {
            return;
        }
        long delay = ThreadLocalRandom.current().nextLong(100, 500);
        java.util.concurrent.CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> connect(again));
    }

    /** The node this recorder's current connection is on ("" before the first welcome). */
    String node() {
        return node;
    }

    synchronized List<Long> arrivals() {
        return List.copyOf(arrivals);
    }

    synchronized List<Long> closes() {
        return List.copyOf(closes);
    }

    synchronized List<Long> snapshots() {
        return List.copyOf(snapshots);
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
        socket = webSocket;
        synchronized (this) {
            lastSeq = 0;
        }
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            receive(webSocket, partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    private synchronized void receive(WebSocket webSocket, String frame) {
        long seq = Frames.seq(frame);
        if (seq != lastSeq + 1) {
            seqGaps.increment();
        }
        lastSeq = seq;
        String type = Frames.type(frame);
        if (type == null) {
            return;
        }
        long now = System.nanoTime() / 1_000_000;
        switch (type) {
            case "welcome" -> {
                int start = frame.indexOf("\"node\":\"");
                node = start < 0 ? "" : frame.substring(start + 8, frame.indexOf('"', start + 8));
                webSocket.sendText("{\"type\":\"subscribe\",\"id\":1,\"symbols\":[\"*\"]}", true);
            }
            case "snapshot", "ticks" -> {
                if (type.equals("snapshot")) {
                    snapshots.add(now);
                } else {
                    arrivals.add(now);
                }
                // Quotes are flat objects: the data array splits at "},{".
                int start = frame.indexOf("\"data\":[{");
                if (start >= 0) {
                    String body = frame.substring(start + 9, frame.lastIndexOf("}]"));
                    for (String quote : body.split("\\},\\{")) {
                        book.file(node, "{" + quote + "}");
                    }
                }
            }
            default -> { }
        }
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        ended();
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        ended();
    }

    private void ended() {
        synchronized (this) {
            closes.add(System.nanoTime() / 1_000_000);
            partial.setLength(0);
        }
        retry();
    }
}
