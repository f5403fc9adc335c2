package dev.ticker.reference;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The stream, on one event loop, the way a hand-tuned broadcaster is written: every
 * {@code flushMillis} each connection gets at most one {@code ticks} frame with the latest quote of
 * each subscribed symbol that traded since its previous frame (conflation by version, nothing
 * queued per trade). Connections that were up to date at the previous flush and are subscribed to
 * every symbol share one buffer of the flush's quotes, encoded once; their frame is a composite of
 * a few bytes of envelope and that buffer, written without a copy. A connection whose previous frame
 * is still being written is skipped; one stuck past the send timeout is closed with 4002. A client
 * that offers {@code ticker.v1.binary} first gets the same bytes in binary messages.
 *
 * <p>Everything here runs on the one event loop that also owns every channel, as Node runs the
 * other reference on its one thread: no locks, and no hand-off between threads per frame.
 */
final class Broadcast {

    static final int MAX_MESSAGE_BYTES = 4096;
    private static final JsonProvider JSON = JsonProvider.provider();
    private static final JsonString ALL = JSON.createValue("*");
    private static final byte[] DATA = ",\"data\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "]}".getBytes(StandardCharsets.US_ASCII);

    private final EventLoop loop;
    private final Market market;
    private final long flushNanos;
    private final long heartbeatMillis;
    private final long sendTimeoutNanos;
    private final int maxSymbols;
    private final Map<String, Integer> symbolIndex = new HashMap<>();
    private final byte[] welcomeTail;
    private final List<Client> clients = new ArrayList<>();
    private final Map<Integer, Long> closedByServer = new TreeMap<>();
    private long flushes;
    private long previousFlushVersion;
    private long nextFlushNanos;

    Broadcast(EventLoop loop, Market market, int flushMillis, int heartbeatMillis, int sendTimeoutMillis, int maxSymbols) {
        this.loop = loop;
        this.market = market;
        this.flushNanos = TimeUnit.MILLISECONDS.toNanos(flushMillis);
        this.heartbeatMillis = heartbeatMillis;
        this.sendTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(sendTimeoutMillis);
        this.maxSymbols = maxSymbols;
        for (int i = 0; i < market.size(); i++) {
            symbolIndex.put(market.symbols().get(i), i);
        }
        var symbols = JSON.createArrayBuilder();
        market.symbols().forEach(symbols::add);
        this.welcomeTail = (",\"protocol\":\"ticker.v1\",\"heartbeatMs\":" + heartbeatMillis
                + ",\"limits\":{\"maxSymbols\":" + maxSymbols + ",\"maxMessageBytes\":" + MAX_MESSAGE_BYTES
                + ",\"maxMessagesPerSecond\":20},\"symbols\":" + symbols.build() + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** Starts the market's clock (every millisecond, as the Node reference) and the flushes. */
    void start() {
        loop.scheduleAtFixedRate(market::advance, 1, 1, TimeUnit.MILLISECONDS);
        nextFlushNanos = System.nanoTime() + flushNanos;
        scheduleFlush();
    }

    // Against the clock, like a fixed-rate executor, but a late flush does not bring a burst of
    // catching-up ones behind it (Netty's scheduleAtFixedRate would run them back to back).
    private void scheduleFlush() {
        loop.schedule(() -> {
            try {
                flush();
            } finally {
                nextFlushNanos += flushNanos;
                long now = System.nanoTime();
                if (nextFlushNanos < now) {
                    nextFlushNanos = now;
                }
                scheduleFlush();
            }
        }, Math.max(0, nextFlushNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    // ---- connections ---------------------------------------------------------------------------

    Client open(Channel channel, boolean binary) {
        Client client = new Client(channel, binary, market.size());
        client.index = clients.size();
        clients.add(client);
        ByteBuf frame = envelope(channel.alloc(), "welcome", null, ++client.seq, System.currentTimeMillis(), welcomeTail.length);
        frame.writeBytes(welcomeTail);
        send(client, frame);
        return client;
    }

    void closed(Client client) {
        int i = client.index;
        if (i < 0) {
            return;
        }
        Client last = clients.remove(clients.size() - 1);
        if (last != client) {
            clients.set(i, last);
            last.index = i;
        }
        client.index = -1;
    }

    /** On shutdown: every client is told with 1001, as the WAR and the Node reference do. */
    void closeAll() {
        for (Client client : List.copyOf(clients)) {
            closed(client);
            client.channel.writeAndFlush(new CloseWebSocketFrame(1001, "server shutting down"));
        }
    }

    /** The health page's body, as the Node reference answers it. */
    String health() {
        StringBuilder closed = new StringBuilder("{");
        closedByServer.forEach((code, n) -> closed.append(closed.length() > 1 ? "," : "").append('"').append(code).append("\":").append(n));
        return "{\"sessions\":" + clients.size() + ",\"trades\":" + market.version() + ",\"uptimeMs\":" + market.uptimeMillis()
                + ",\"closedByServer\":" + closed.append('}') + "}";
    }

    // ---- requests ------------------------------------------------------------------------------

    void request(Client client, String text) {
        JsonObject request;
        try {
            JsonValue value = JSON.createReader(new StringReader(text)).readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                reply(client, null, "error", ",\"code\":\"BAD_REQUEST\",\"message\":\"not a JSON object\"");
                return;
            }
            request = value.asJsonObject();
        } catch (JsonException e) {
            reply(client, null, "error", ",\"code\":\"BAD_REQUEST\",\"message\":\"not JSON\"");
            return;
        }
        String id = request.containsKey("id") ? request.get("id").toString() : null;
        JsonValue type = request.get("type");
        JsonValue wanted = request.get("symbols");
        if (type instanceof JsonString t && t.getString().equals("subscribe") && wanted instanceof JsonArray symbols) {
            subscribe(client, id, symbols, !JsonValue.FALSE.equals(request.get("snapshot")));
        } else if (type instanceof JsonString t && t.getString().equals("ping")) {
            reply(client, id, "pong", "");
        } else {
            reply(client, id, "error", ",\"code\":\"UNKNOWN_TYPE\",\"message\":\"unknown type\"");
        }
    }

    private void subscribe(Client client, String id, JsonArray wanted, boolean withSnapshot) {
        List<Integer> indexes = new ArrayList<>();
        if (wanted.contains(ALL)) {
            for (int i = 0; i < market.size(); i++) {
                indexes.add(i);
            }
        } else {
            for (JsonValue v : wanted) {
                if (v instanceof JsonString s) {
                    Integer index = symbolIndex.get(s.getString().toUpperCase(java.util.Locale.ROOT));
                    if (index != null) {
                        indexes.add(index);
                    }
                }
            }
        }
        ByteBuf snapshot = Unpooled.buffer();
        for (int index : indexes) {
            if (client.subscribed[index] || client.listSize >= maxSymbols) {
                continue;
            }
            client.subscribe(index);
            client.sent[index] = market.version(index);
            byte[] quote = market.latest(index);
            if (withSnapshot && quote != null) {
                snapshot.writeByte(snapshot.isReadable() ? ',' : '[').writeBytes(quote);
            }
        }
        var symbols = JSON.createArrayBuilder();
        for (int i = 0; i < client.listSize; i++) {
            symbols.add(market.symbols().get(client.list[i]));
        }
        reply(client, id, "subscribed", ",\"symbols\":" + symbols.build() + ",\"rejected\":[]");
        if (snapshot.isReadable()) {
            ByteBuf frame = envelope(client.channel.alloc(), "snapshot", null, ++client.seq, System.currentTimeMillis(),
                    snapshot.readableBytes() + 10);
            frame.writeBytes(",\"data\":".getBytes(StandardCharsets.US_ASCII)).writeBytes(snapshot).writeBytes(END);
            send(client, frame);
        }
        snapshot.release();
    }

    private void reply(Client client, String id, String type, String body) {
        byte[] tail = (body + "}").getBytes(StandardCharsets.UTF_8);
        ByteBuf frame = envelope(client.channel.alloc(), type, id, ++client.seq, System.currentTimeMillis(), tail.length);
        send(client, frame.writeBytes(tail));
    }

    // ---- the flush -----------------------------------------------------------------------------

    private void flush() {
        long nowNanos = System.nanoTime();
        long now = System.currentTimeMillis();
        flushes++;
        // The shared part of this flush: every symbol that traded since the previous one, and the
        // frame's end.
        ByteBuf shared = ByteBufAllocator.DEFAULT.directBuffer(16 * 1024);
        int changedCount = 0;
        int[] changed = new int[market.size()];
        for (int i = 0; i < market.size(); i++) {
            if (market.version(i) > previousFlushVersion) {
                if (changedCount > 0) {
                    shared.writeByte(',');
                }
                shared.writeBytes(market.latest(i));
                changed[changedCount++] = i;
            }
        }
        shared.writeBytes(END);
        try {
            visit(shared, changed, changedCount, nowNanos, now);
        } finally {
            shared.release();
        }
        previousFlushVersion = market.version();
    }

    private void visit(ByteBuf shared, int[] changed, int changedCount, long nowNanos, long now) {
        // Closing a client takes it out of the list: walk it backwards.
        for (int c = clients.size() - 1; c >= 0; c--) {
            Client client = clients.get(c);
            if (client.pendingWrites > 0) {              // the previous frame is still being written
                if (client.stuckSinceNanos == 0) {
                    client.stuckSinceNanos = nowNanos;
                } else if (nowNanos - client.stuckSinceNanos > sendTimeoutNanos) {
                    closeSlow(client);
                }
                client.upToDate = -1;
                continue;
            }
            client.stuckSinceNanos = 0;
            boolean isShared = client.all() && client.upToDate == flushes - 1;
            client.upToDate = flushes;
            if (isShared) {
                if (changedCount == 0) {
                    heartbeatIfDue(client, nowNanos, now);
                    continue;
                }
                for (int k = 0; k < changedCount; k++) {
                    client.sent[changed[k]] = market.version(changed[k]);
                }
                ByteBuf head = envelope(client.channel.alloc(), "ticks", null, ++client.seq, now, 0);
                head.writeBytes(DATA);
                send(client, Unpooled.wrappedUnmodifiableBuffer(head, shared.retainedDuplicate()));
            } else {
                ByteBuf frame = null;
                for (int k = 0; k < client.listSize; k++) {
                    int i = client.list[k];
                    long v = market.version(i);
                    if (v > client.sent[i]) {
                        client.sent[i] = v;
                        if (frame == null) {
                            frame = envelope(client.channel.alloc(), "ticks", null, ++client.seq, now, 4096);
                            frame.writeBytes(DATA);
                        } else {
                            frame.writeByte(',');
                        }
                        frame.writeBytes(market.latest(i));
                    }
                }
                if (frame != null) {
                    send(client, frame.writeBytes(END));
                } else {
                    heartbeatIfDue(client, nowNanos, now);
                }
            }
        }
    }

    private void heartbeatIfDue(Client client, long nowNanos, long now) {
        if (nowNanos - client.lastSentAtNanos >= TimeUnit.MILLISECONDS.toNanos(heartbeatMillis)) {
            ByteBuf frame = envelope(client.channel.alloc(), "heartbeat", null, ++client.seq, now, 1);
            send(client, frame.writeByte('}'));
        }
    }

    private void closeSlow(Client client) {
        closedByServer.merge(4002, 1L, Long::sum);
        closed(client);
        // Its socket is full, so the close frame may never leave: the channel goes in a second.
        client.channel.writeAndFlush(new CloseWebSocketFrame(4002, "slow consumer"));
        loop.schedule(() -> client.channel.close(), 1, TimeUnit.SECONDS);
    }

    private void send(Client client, ByteBuf payload) {
        client.lastSentAtNanos = System.nanoTime();
        client.pendingWrites++;
        WebSocketFrame frame = client.binary ? new BinaryWebSocketFrame(payload) : new TextWebSocketFrame(payload);
        client.channel.writeAndFlush(frame).addListener(client);
    }

    /**
     * {@code {"type":"T"[,"id":ID],"seq":N,"ts":MS} in a buffer with room for {@code more} bytes; the
     * caller writes the rest, starting with the comma or the closing brace.
     */
    private static ByteBuf envelope(ByteBufAllocator alloc, String type, String id, long seq, long ts, int more) {
        ByteBuf b = alloc.buffer(64 + type.length() + (id == null ? 0 : id.length()) + more);
        b.writeCharSequence("{\"type\":\"", StandardCharsets.US_ASCII);
        b.writeCharSequence(type, StandardCharsets.US_ASCII);
        b.writeByte('"');
        if (id != null) {
            b.writeCharSequence(",\"id\":", StandardCharsets.US_ASCII);
            b.writeCharSequence(id, StandardCharsets.UTF_8);
        }
        b.writeCharSequence(",\"seq\":", StandardCharsets.US_ASCII);
        writeDigits(b, seq);
        b.writeCharSequence(",\"ts\":", StandardCharsets.US_ASCII);
        writeDigits(b, ts);
        return b;
    }

    /** A non-negative long in ASCII digits, without a String. */
    static void writeDigits(ByteBuf b, long value) {
        if (value == 0) {
            b.writeByte('0');
            return;
        }
        int digits = 0;
        for (long v = value; v > 0; v /= 10) {
            digits++;
        }
        int at = b.writerIndex() + digits;
        b.ensureWritable(digits);
        for (long v = value; v > 0; v /= 10) {
            b.setByte(--at, (int) ('0' + v % 10));
        }
        b.writerIndex(b.writerIndex() + digits);
    }
}
