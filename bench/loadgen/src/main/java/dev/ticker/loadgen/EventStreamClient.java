package dev.ticker.loadgen;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * One protocol v1 client over Server-Sent Events (docs/protocol.md): opens {@code /sse/quotes},
 * subscribes to everything by a {@code POST} to the control URL its first event names, answers
 * pings, and then counts frames and quotes, times each quote and checks {@code seq} as
 * {@link Client} does on a WebSocket. Lines arrive on the HTTP client's selector thread.
 */
final class EventStreamClient implements Flow.Subscriber<String> {

    private final Stats stats;
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private HttpClient http;
    private URI stream;
    private URI control;
    private Flow.Subscription subscription;
    private volatile boolean measuring;
    private volatile boolean closing;
    private String event;                  // the current event's type, null for a frame
    private long lastSeq;
    private long start;

    EventStreamClient(Stats stats) {
        this.stats = stats;
    }

    /** Opens the stream at {@code uri}; completes once its control URL is known and the subscription posted. */
    CompletableFuture<Void> connect(HttpClient http, URI uri) {
        this.http = http;
        this.stream = uri;
        this.start = System.nanoTime();
        http.sendAsync(HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").timeout(Client.HANDSHAKE_TIMEOUT).build(),
                        HttpResponse.BodyHandlers.fromLineSubscriber(this))
                .whenComplete((response, error) -> {
                    if (error != null || response.statusCode() != 200) {
                        failOpen();
                    }
                });
        return opened;
    }

    private void failOpen() {
        if (opened.completeExceptionally(new IllegalStateException("the stream did not open"))) {
            stats.handshakesFailed.increment();
        }
    }

    void measure(boolean on) {
        measuring = on;
    }

    void close() {
        closing = true;
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
        if (line.isEmpty()) {
            event = null;
        } else if (line.startsWith("event: ")) {
            event = line.substring(7);
        } else if (line.startsWith("data: ")) {
            data(line.substring(6));
        }
    }

    private void data(String data) {
        if (event == null) {
            frame(data);
        } else if (event.equals("stream")) {
            int at = data.indexOf("\"stream\":\"") + 10;
            control = URI.create(stream + "/" + data.substring(at, data.indexOf('"', at)));
            post(control, "{\"type\":\"subscribe\",\"symbols\":[\"*\"],\"snapshot\":false}").whenComplete((response, error) -> {
                if (error != null || response.statusCode() != 202) {
                    failOpen();
                } else if (opened.complete(null)) {
                    stats.connected.increment();
                    stats.handshake.recordValue(Math.max(0, (System.nanoTime() - start) / 1_000_000));
                }
            });
        } else if (event.equals("ping")) {
            int at = data.indexOf("\"payload\":\"") + 11;
            post(URI.create(control + "/pong"), data.substring(at, data.indexOf('"', at)));
        } else if (event.equals("close") && !closing) {
            int at = data.indexOf("\"code\":") + 7;
            stats.unexpectedClose(Integer.parseInt(data.substring(at, data.indexOf(',', at)).trim()), data);
        }
    }

    private void frame(String frame) {
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

    private CompletableFuture<HttpResponse<Void>> post(URI uri, String body) {
        return http.sendAsync(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    @Override
    public void onError(Throwable error) {
        ended(error.toString());
    }

    @Override
    public void onComplete() {
        ended("the stream ended");
    }

    private void ended(String why) {
        if (!opened.isDone()) {
            failOpen();
            return;
        }
        if (!closing) {
            stats.unexpectedClose(-1, why);
        }
        stats.connected.decrement();
    }
}
