// A ticker.v1 client (docs/protocol.md) on the JDK alone: java.net.http.WebSocket, Java 17+.
//
//   java TickerClient.java [URL] [SYMBOL ...] [--seconds N]
//
// Prints one line per quote ("AAPL 189.52") on stdout, everything else on stderr as "# ...".
// Reconnects with exponential backoff and jitter, and subscribes again; a gap in `seq` or a silent
// server is a reason to reconnect too. With --seconds N it exits after N seconds: 0 if a quote
// arrived, 1 if none did. Exit 2: the server refused what this client sent, or its handshake.

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.AtomicLong;

public class TickerClient {

    static final String DEFAULT_URL = "ws://localhost:8080/ticker/ws/quotes";
    // Closes that blame the client (protocol error, binary frame, bad UTF-8, policy, too big):
    // sending the same again would be refused the same way, so this client stops instead.
    static final Set<Integer> CLIENT_FAULT = Set.of(1002, 1003, 1007, 1008, 1009);
    static final AtomicLong quotes = new AtomicLong();
    static volatile int attempt;              // failed connections since one last brought quotes
    static volatile WebSocket current;

    /** How a connection ended: why, and the wait before the next one (-1: the backoff's), or stop. */
    record End(String why, long delayMs, boolean stop) {
        static End retry(String why) { return new End(why, -1, false); }
    }

    public static void main(String[] args) throws InterruptedException {
        List<String> rest = new ArrayList<>(List.of(args));
        int at = rest.indexOf("--seconds");
        long seconds = at >= 0 ? Long.parseLong(rest.get(at + 1)) : 0;
        if (at >= 0) rest.subList(at, at + 2).clear();
        boolean hasUrl = !rest.isEmpty() && rest.get(0).matches("wss?://.*");
        URI uri = URI.create(hasUrl ? rest.remove(0) : DEFAULT_URL);
        List<String> symbols = rest.isEmpty() ? List.of("AAPL", "MSFT") : rest;
        if (seconds > 0) {
            CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS)
                    .execute(() -> exit(quotes.get() > 0 ? 0 : 1, seconds + " s are up"));
        }
        HttpClient http = HttpClient.newHttpClient();
        while (true) {
            End end = new Connection(symbols).run(http, uri);
            if (end.stop()) exit(2, end.why());
            long delay = end.delayMs();
            if (delay < 0) {   // exponential backoff with jitter: half of 1, 2, 4, ... 30 s fixed, half at random
                long ceiling = Math.min(30_000, 500L << Math.min(++attempt, 6));
                delay = ceiling / 2 + (long) (Math.random() * ceiling / 2);
            }
            log(end.why() + "; reconnecting in " + delay + " ms");
            Thread.sleep(delay);
        }
    }

    /** One connection: its listener, and its own seq, heartbeat and drain notice. */
    static final class Connection implements WebSocket.Listener {
        final List<String> symbols;
        final CompletableFuture<End> end = new CompletableFuture<>();   // the first ending wins
        final StringBuilder text = new StringBuilder();                 // a message may come in parts
        volatile long lastFrameAt = System.nanoTime();
        volatile long heartbeatMs = 10_000;
        long seq;
        long drainMs = -1;                                              // from a notice: draining

        Connection(List<String> symbols) { this.symbols = symbols; }

        End run(HttpClient http, URI uri) throws InterruptedException {
            WebSocket ws;
            try {
                ws = http.newWebSocketBuilder().subprotocols("ticker.v1").connectTimeout(Duration.ofSeconds(10))
                        .buildAsync(uri, this).join();
            } catch (CompletionException e) {
                return e.getCause() instanceof WebSocketHandshakeException refused
                        ? refused(refused.getResponse().statusCode(), refused.getResponse().headers())
                        : End.retry("cannot connect: " + e.getCause());
            }
            current = ws;
            log("connected to " + uri);
            // The server is never silent for longer than heartbeatMs: 2.5 times that is a dead connection.
            while (!end.isDone()) {
                if (System.nanoTime() - lastFrameAt > heartbeatMs * 2_500_000
                        && end.complete(End.retry("no frames from the server"))) {
                    ws.abort();
                }
                Thread.sleep(100);
            }
            return end.join();
        }

        /** 401 (token) and 403 (origin): retrying cannot help. 429, 503: not before Retry-After. */
        static End refused(int status, HttpHeaders headers) {
            String why = "handshake refused: HTTP " + status;
            if (status == 401 || status == 403) return new End(why, 0, true);
            long retryAfter = headers.firstValue("Retry-After").filter(v -> v.matches("\\d{1,5}"))
                    .map(Long::parseLong).orElse(-1L);
            return new End(why, retryAfter < 0 ? -1 : retryAfter * 1000 + (long) (Math.random() * 1000), false);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence part, boolean last) {
            lastFrameAt = System.nanoTime();
            text.append(part);
            if (last) {
                try {
                    if (!end.isDone()) frame(ws, parse(text.toString()));
                } catch (RuntimeException e) {                          // not the JSON of a frame
                    end.complete(End.retry("unreadable frame: " + e));
                    ws.abort();
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        void frame(WebSocket ws, Map<String, Object> frame) {
            // Frames are numbered 1, 2, 3, ... per connection: a gap means lost frames. A new
            // connection and its snapshot put that right.
            long got = Long.parseLong((String) frame.get("seq"));
            if (got != seq + 1) {
                end.complete(End.retry("seq gap: expected " + (seq + 1) + ", got " + got));
                ws.sendClose(4000, "sequence gap");
                return;
            }
            seq = got;
            switch ((String) frame.get("type")) {
                case "welcome" -> {                // subscribe at once, and after every reconnect
                    heartbeatMs = Long.parseLong((String) frame.get("heartbeatMs"));
                    List<String> quoted = symbols.stream().map(TickerClient::quote).toList();
                    ws.sendText("{\"type\":\"subscribe\",\"symbols\":[" + String.join(",", quoted) + "]}", true);
                }
                case "subscribed" -> objects(frame, "rejected")
                        .forEach(r -> log("rejected " + r.get("symbol") + ": " + r.get("code")));
                case "snapshot", "ticks" -> {
                    attempt = 0;
                    for (Map<String, String> q : objects(frame, "data")) {
                        System.out.println(q.get("symbol") + " " + q.get("price"));   // as written: 189.50
                        quotes.incrementAndGet();
                    }
                }
                case "notice" -> {                 // draining: this connection closes with 1001 at closesAt
                    drainMs = Long.parseLong((String) frame.get("drainMs"));
                    log("notice: " + frame.get("reason") + ", closing at " + frame.get("closesAt"));
                }
                case "error" -> log("error " + frame.get("code") + ": " + frame.get("message"));
                default -> { }                     // heartbeat, pong, market, and types added later
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            if (CLIENT_FAULT.contains(code)) {
                end.complete(new End("closed " + code + " (" + reason + "): the server blames this client", 0, true));
            } else if (code == 1001 && drainMs >= 0) {
                // A drain: the server spreads its closes over drainMs; spread the reconnects over the rest of 5 s.
                long delay = (long) (Math.random() * Math.max(1000, 5000 - drainMs));
                end.complete(new End("closed 1001 after a notice", delay, false));
            } else {
                end.complete(End.retry("closed " + code));
            }
            return null;                           // the JDK answers the close at once
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            end.complete(End.retry("connection lost: " + error));
        }
    }

    static void exit(int code, String why) {
        log(why + "; " + quotes.get() + " quotes");
        WebSocket ws = current;
        try {
            if (ws != null && !ws.isOutputClosed()) ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            // exiting anyway
        }
        System.exit(code);
    }

    static void log(String line) {
        System.err.println("# " + line);
    }

    static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, String>> objects(Map<String, Object> frame, String key) {
        return (List<Map<String, String>>) frame.getOrDefault(key, List.of());
    }

    /**
     * The JDK has no JSON parser, and a client of these frames needs little: this scanner keeps the
     * strings and numbers (as text) of the frame's own members, and of the objects in its arrays
     * ("data", "rejected"); nothing deeper. It does not check the syntax: it trusts the server to
     * send JSON. A larger client would use a JSON library.
     */
    static Map<String, Object> parse(String s) {
        Map<String, Object> frame = new HashMap<>();
        List<Map<String, String>> array = null;          // the frame's array being read
        Map<String, String> element = null;              // the object in it being read
        String key = null;
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String value = null;
            if (c == '{' || c == '[') {
                depth++;
                if (depth == 2) array = c == '[' ? new ArrayList<>() : null;
                if (depth == 2 && array != null) frame.put(key, array);
                if (depth == 3 && c == '{' && array != null) array.add(element = new HashMap<>());
            } else if (c == '}' || c == ']') {
                element = --depth == 2 ? null : element;
            } else if (c == '"') {
                StringBuilder b = new StringBuilder();
                for (c = s.charAt(++i); c != '"'; c = s.charAt(++i)) {
                    if (c == '\\') {                                 // an escape
                        c = s.charAt(++i);
                        if (c == 'u') {
                            c = (char) Integer.parseInt(s, i + 1, i + 5, 16);
                            i += 4;
                        } else if ("nrtbf".indexOf(c) >= 0) {
                            c = "\n\r\t\b\f".charAt("nrtbf".indexOf(c));
                        }
                    }
                    b.append(c);
                }
                value = b.toString();
            } else if (c == '-' || Character.isLetterOrDigit(c)) {   // a number, true, false or null
                int start = i;
                while (i + 1 < s.length() && ",}] \t\r\n".indexOf(s.charAt(i + 1)) < 0) i++;
                value = s.substring(start, i + 1);
            }
            if (value == null) continue;
            int next = i + 1;
            while (next < s.length() && Character.isWhitespace(s.charAt(next))) next++;
            if (next < s.length() && s.charAt(next) == ':') key = value;
            else if (depth == 1) frame.put(key, value);
            else if (depth == 3 && element != null) element.put(key, value);
        }
        return frame;
    }
}
