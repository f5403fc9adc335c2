package dev.ticker.loadgen;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Protocol v1 clients on raw non-blocking sockets, all of them served by one selector thread:
 * what {@link Client} measures, for a small fraction of its CPU per frame. The JDK's WebSocket
 * client decodes every frame into UTF-16, builds a String of it (and a StringBuilder per partial
 * frame), so that at the fan-out limit the load generator, not the server, used most of the
 * machine. Here a frame is read as bytes where it arrived: its {@code seq} and each quote's
 * {@code ts} are scanned for ({@link Frames}), no String or JSON tree is built. One message in
 * {@link #VERIFY_EVERY} is also parsed by a full JSON parser and compared, so a scan that
 * misreads a frame shows in the result ({@code leanVerified}, {@code leanMismatches}).
 */
final class LeanClients implements Runnable {

    static final int VERIFY_EVERY = 1000;
    private static final byte[] WELCOME = Frames.ascii("welcome");
    private static final byte[] TICKS = Frames.ascii("ticks");
    private static final byte[] SNAPSHOT = Frames.ascii("snapshot");
    private static final byte[] HEARTBEAT = Frames.ascii("heartbeat");
    private static final byte[] ERROR = Frames.ascii("error");
    private static final byte[] HEAD_END = Frames.ascii("\r\n\r\n");
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int READ_BUFFER_BYTES = 32 * 1024;

    /** Messages compared with the full parser, and those that disagreed with the scan. */
    static final LongAdder VERIFIED = new LongAdder();
    static final LongAdder MISMATCHES = new LongAdder();

    private final Stats stats;
    private final int symbols;
    private final boolean binary;
    private final String subprotocol;
    private final Selector selector;
    private final ConcurrentLinkedQueue<Connection> opening = new ConcurrentLinkedQueue<>();
    private final List<Connection> connections = new ArrayList<>();
    private final Thread thread;
    private volatile boolean measuring;
    private volatile boolean closing;
    private long messages;

    /** Clients of the text protocol, or ({@code binary}) of its binary variant, {@code ticker.v1.binary}. */
    LeanClients(Stats stats, int symbols, boolean binary, String name) throws IOException {
        this.stats = stats;
        this.symbols = symbols;
        this.binary = binary;
        this.subprotocol = binary ? "ticker.v1.binary" : "ticker.v1";
        this.selector = Selector.open();
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Opens one more client on this thread; the future completes once the server's 101 is read. */
    CompletableFuture<Void> connect(URI uri, long seed) {
        Connection connection = new Connection(uri, seed);
        opening.add(connection);
        selector.wakeup();
        return connection.opened;
    }

    void measure(boolean on) {
        measuring = on;
    }

    /** Sends every connection's close frame (1000) and ends the thread within a second. */
    void close() {
        closing = true;
        selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        long lastSweep = System.nanoTime();
        try {
            while (!closing) {
                selector.select(100);
                for (Connection connection; (connection = opening.poll()) != null; ) {
                    connection.start();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Connection connection = (Connection) key.attachment();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isConnectable()) {
                        connection.finishConnect();
                    } else {
                        if (key.isWritable()) {
                            connection.flush();
                        }
                        if (key.isValid() && key.isReadable()) {
                            connection.read();
                        }
                    }
                }
                selector.selectedKeys().clear();
                long now = System.nanoTime();
                if (now - lastSweep > TimeUnit.SECONDS.toNanos(1)) {
                    lastSweep = now;
                    for (Connection connection : List.copyOf(connections)) {
                        connection.checkHandshakeTimeout(now);
                    }
                }
            }
            for (Connection connection : List.copyOf(connections)) {
                connection.closeNormally();
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("lean clients' thread failed: " + e);
        } finally {
            try {
                selector.close();
            } catch (IOException ignored) {
                // ending anyway
            }
        }
    }

    /** One client: its socket, what it has read and not yet used, and what is waiting to be written. */
    private final class Connection implements WireReader.Handler {

        private final URI uri;
        private final Random random;
        private final CompletableFuture<Void> opened = new CompletableFuture<>();
        private final WireReader reader = new WireReader(binary);
        private final List<ByteBuffer> output = new ArrayList<>();
        private SocketChannel channel;
        private SelectionKey key;
        private ByteBuffer in = ByteBuffer.allocate(READ_BUFFER_BYTES);
        private String acceptKey;
        private long started;
        private boolean open;           // the 101 was read
        private boolean ended;
        private long lastSeq;

        Connection(URI uri, long seed) {
            this.uri = uri;
            this.random = new Random(seed);
        }

        void start() {
            started = System.nanoTime();
            connections.add(this);
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                int port = uri.getPort() > 0 ? uri.getPort() : 80;
                if (channel.connect(new InetSocketAddress(uri.getHost(), port))) {
                    key = channel.register(selector, SelectionKey.OP_READ, this);
                    sendHandshake();
                } else {
                    key = channel.register(selector, SelectionKey.OP_CONNECT, this);
                }
            } catch (IOException | RuntimeException e) {
                failOpen("connect: " + e);
            }
        }

        void finishConnect() {
            try {
                channel.finishConnect();
                key.interestOps(SelectionKey.OP_READ);
                sendHandshake();
            } catch (IOException | RuntimeException e) {
                failOpen("connect: " + e);
            }
        }

        private void sendHandshake() throws IOException {
            byte[] nonce = new byte[16];
            random.nextBytes(nonce);
            String key64 = Base64.getEncoder().encodeToString(nonce);
            acceptKey = accept(key64);
            String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            String request = "GET " + path + " HTTP/1.1\r\n"
                    + "Host: " + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key64 + "\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: " + subprotocol + "\r\n\r\n";
            write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
        }

        void checkHandshakeTimeout(long now) {
            if (!open && !ended && now - started > Client.HANDSHAKE_TIMEOUT.toNanos()) {
                failOpen("no handshake answer within " + Client.HANDSHAKE_TIMEOUT.toSeconds() + " s");
            }
        }

        void read() {
            try {
                int read = channel.read(in);
                if (read < 0) {
                    lost(-1, "the server ended the connection without a close frame");
                    return;
                }
                in.flip();
                if (!open && !readHandshake()) {
                    in.compact();
                    return;
                }
                int needed = reader.read(in, this);
                if (ended) {
                    return;
                }
                in.compact();
                if (needed > in.capacity()) {
                    ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, in.capacity() * 2));
                    in.flip();
                    bigger.put(in);
                    in = bigger;
                }
            } catch (IOException | RuntimeException e) {
                lost(-1, e.toString());
            }
        }

        /** Reads the 101 if all of it is there; false if more must come first. */
        private boolean readHandshake() {
            byte[] bytes = in.array();
            int end = -1;
            for (int i = 0; i + HEAD_END.length <= in.limit(); i++) {
                if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                    end = i + HEAD_END.length;
                    break;
                }
            }
            if (end < 0) {
                if (in.limit() == in.capacity()) {
                    failOpen("a handshake answer over " + in.capacity() + " bytes");
                }
                return false;
            }
            String head = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
            if (!head.startsWith("HTTP/1.1 101") || !head.contains(acceptKey)) {
                failOpen(head.lines().findFirst().orElse(""));
                return false;
            }
            // A server that does not speak the variant asked for would be measured on the other one.
            if (!head.toLowerCase(java.util.Locale.ROOT).contains("\r\nsec-websocket-protocol: " + subprotocol + "\r\n")) {
                failOpen("the server did not choose " + subprotocol);
                return false;
            }
            in.position(end);
            open = true;
            stats.connected.increment();
            stats.handshake.recordValue(Math.max(0, (System.nanoTime() - started) / 1_000_000));
            opened.complete(null);
            return true;
        }

        @Override
        public void text(byte[] bytes, int offset, int length) {
            long seq = Frames.seq(bytes, offset, length);
            if (seq != lastSeq + 1) {
                stats.seqGaps.increment();
            }
            lastSeq = seq;
            boolean quotes = Frames.typeIs(bytes, offset, length, TICKS) || Frames.typeIs(bytes, offset, length, SNAPSHOT);
            int count = -1;
            if (quotes) {
                if (measuring) {
                    stats.frames.increment();
                    long now = System.currentTimeMillis();
                    count = Frames.quoteTimes(bytes, offset, length, ts -> stats.latency.recordValue(Math.max(0, now - ts)));
                    stats.quotes.add(count);
                }
            } else if (Frames.typeIs(bytes, offset, length, WELCOME)) {
                String subscribe = symbols == 0 ? Client.SUBSCRIBE_ALL
                        : Client.subscribe(new String(bytes, offset, length, StandardCharsets.UTF_8), symbols, random);
                sendText(subscribe);
            } else if (Frames.typeIs(bytes, offset, length, HEARTBEAT)) {
                stats.heartbeats.increment();
            } else if (Frames.typeIs(bytes, offset, length, ERROR)) {
                stats.errorsReceived.increment();
            }
            if (++messages % VERIFY_EVERY == 0) {
                verify(bytes, offset, length, seq, quotes, count);
            }
        }

        /** Parses the message in full and checks what the scan read from it. */
        private void verify(byte[] bytes, int offset, int length, long seq, boolean quotes, int count) {
            VERIFIED.increment();
            JsonObject frame;
            try (JsonReader json = Json.createReader(new ByteArrayInputStream(bytes, offset, length))) {
                frame = json.readObject();
            }
            String type = frame.getString("type", "");
            boolean same = frame.getJsonNumber("seq") != null && frame.getJsonNumber("seq").longValue() == seq
                    && quotes == (type.equals("ticks") || type.equals("snapshot"));
            if (same && count >= 0) {
                List<Long> scanned = new ArrayList<>();
                Frames.quoteTimes(bytes, offset, length, scanned::add);
                List<Long> parsed = new ArrayList<>();
                for (JsonValue quote : frame.getJsonArray("data")) {
                    parsed.add(quote.asJsonObject().getJsonNumber("ts").longValue());
                }
                same = scanned.equals(parsed) && parsed.size() == count;
            }
            if (!same) {
                MISMATCHES.increment();
                if (MISMATCHES.sum() == 1) {
                    System.out.println("the lean client's scan disagrees with the JSON parser on: " + frame);
                }
            }
        }

        @Override
        public void ping(byte[] bytes, int offset, int length) {
            send(0xA, bytes, offset, length);
        }

        @Override
        public void close(int code, String reason) {
            if (!closing) {
                stats.unexpectedClose(code, reason);
            }
            byte[] echo = {(byte) (code >>> 8), (byte) code};
            send(0x8, echo, 0, code == 1005 ? 0 : 2);
            end();
        }

        @Override
        public void broken(String why) {
            lost(-1, why);
        }

        void closeNormally() {
            if (!ended && open) {
                send(0x8, new byte[] {0x03, (byte) 0xE8}, 0, 2);
                end();
            } else if (!ended) {
                ended = true;
                closeChannel();
            }
        }

        private void lost(int code, String why) {
            if (ended) {
                return;
            }
            if (!open) {
                failOpen(why);
                return;
            }
            if (!closing) {
                stats.unexpectedClose(code, why);
            }
            end();
        }

        private void failOpen(String why) {
            if (opened.completeExceptionally(new IOException(why))) {
                stats.handshakesFailed.increment();
            }
            ended = true;
            connections.remove(this);
            closeChannel();
        }

        private void end() {
            ended = true;
            connections.remove(this);
            if (open) {
                stats.connected.decrement();
            }
            closeChannel();
        }

        private void closeChannel() {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException ignored) {
                // gone either way
            }
        }

        private void sendText(String text) {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            send(0x1, payload, 0, payload.length);
        }

        /** A masked frame, as clients must send them (RFC 6455, 5.3). */
        private void send(int opcode, byte[] payload, int offset, int length) {
            int header = length < 126 ? 2 : length < 65536 ? 4 : 10;
            ByteBuffer frame = ByteBuffer.allocate(header + 4 + length);
            frame.put((byte) (0x80 | opcode));
            if (header == 2) {
                frame.put((byte) (0x80 | length));
            } else if (header == 4) {
                frame.put((byte) (0x80 | 126)).putShort((short) length);
            } else {
                frame.put((byte) (0x80 | 127)).putLong(length);
            }
            int mask = ThreadLocalRandom.current().nextInt();
            frame.putInt(mask);
            for (int i = 0; i < length; i++) {
                frame.put((byte) (payload[offset + i] ^ (mask >>> (24 - 8 * (i & 3)))));
            }
            frame.flip();
            try {
                write(frame);
            } catch (IOException e) {
                lost(-1, "write: " + e);
            }
        }

        private void write(ByteBuffer bytes) throws IOException {
            if (output.isEmpty()) {
                channel.write(bytes);
                if (!bytes.hasRemaining()) {
                    return;
                }
            }
            // A few control frames and one subscribe at most: bounded by what the client sends.
            output.add(bytes);
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        }

        void flush() {
            try {
                while (!output.isEmpty()) {
                    ByteBuffer head = output.get(0);
                    channel.write(head);
                    if (head.hasRemaining()) {
                        return;
                    }
                    output.remove(0);
                }
                key.interestOps(SelectionKey.OP_READ);
            } catch (IOException e) {
                lost(-1, "write: " + e);
            }
        }
    }

    private static String accept(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest((key + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
