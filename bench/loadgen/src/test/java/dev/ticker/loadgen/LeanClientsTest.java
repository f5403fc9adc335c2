package dev.ticker.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The lean client against a server written out byte by byte on a plain socket: the handshake, the
 * subscription it sends once welcomed, quotes counted and timed from single and split frames, a
 * ping answered with its payload, a skipped {@code seq} counted, and the server's close recorded.
 */
class LeanClientsTest {

    private static final Pattern KEY = Pattern.compile("(?i)sec-websocket-key: (\\S+)");

    @Test
    void aClientSubscribesCountsQuotesAnswersPingsAndNoticesGapsAndTheClose() throws Exception {
        subscribesCountsQuotesAnswersPingsAndNoticesGapsAndTheClose(false);
    }

    @Test
    void aClientOfTheBinaryVariantDoesTheSameWithBinaryMessages() throws Exception {
        subscribesCountsQuotesAnswersPingsAndNoticesGapsAndTheClose(true);
    }

    private static void subscribesCountsQuotesAnswersPingsAndNoticesGapsAndTheClose(boolean binary) throws Exception {
        Stats stats = new Stats();
        CompletableFuture<String> subscription = new CompletableFuture<>();
        CompletableFuture<String> pong = new CompletableFuture<>();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> serve(server, binary, subscription, pong));
            serving.start();
            LeanClients clients = new LeanClients(stats, 0, binary, "lean-test");
            clients.measure(true);
            clients.connect(URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/ticker/ws/quotes"), 1)
                    .get(10, TimeUnit.SECONDS);
            assertEquals(Client.SUBSCRIBE_ALL, subscription.get(10, TimeUnit.SECONDS));
            assertEquals("hb", pong.get(10, TimeUnit.SECONDS));
            serving.join(10_000);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (stats.unexpectedCloses.sum() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            clients.close();
        }
        assertEquals(1, stats.handshake.getIntervalHistogram().getTotalCount());
        assertEquals(3, stats.frames.sum(), "ticks frames");
        assertEquals(5, stats.quotes.sum(), "quotes in them");
        assertEquals(5, stats.latency.getIntervalHistogram().getTotalCount(), "a latency per quote");
        assertEquals(1, stats.seqGaps.sum(), "seq 5 after 3");
        assertEquals(1, stats.unexpectedCloses.sum());
        assertEquals(1, stats.unexpectedCloseCodes.get(1001).sum());
        assertEquals(0, stats.connected.sum());
    }

    @Test
    void aRefusedHandshakeCountsAsFailed() throws Exception {
        Stats stats = new Stats();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread serving = new Thread(() -> {
                try (Socket socket = server.accept()) {
                    readHead(socket.getInputStream());
                    socket.getOutputStream().write("HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    Thread.sleep(500);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            serving.start();
            LeanClients clients = new LeanClients(stats, 0, false, "lean-test");
            CompletableFuture<Void> opened = clients.connect(URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/x"), 1);
            try {
                opened.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException expected) {
                assertTrue(expected.getCause().getMessage().contains("429"), expected.getCause().getMessage());
            }
            assertTrue(opened.isCompletedExceptionally());
            serving.join(10_000);
            clients.close();
        }
        assertEquals(1, stats.handshakesFailed.sum());
        assertEquals(0, stats.connected.sum());
    }

    private static void serve(ServerSocket server, boolean binary, CompletableFuture<String> subscription,
                              CompletableFuture<String> pong) {
        int message = binary ? 2 : 1;
        try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            Matcher key = KEY.matcher(readHead(in));
            assertTrue(key.find());
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(
                    (key.group(1) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\nSec-WebSocket-Protocol: " + (binary ? "ticker.v1.binary" : "ticker.v1")
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(WireReaderTest.frame(true, message, utf8("{\"type\":\"welcome\",\"seq\":1,\"ts\":1,\"symbols\":[\"A\",\"B\"]}")));
            out.flush();
            subscription.complete(readMasked(in));
            long now = System.currentTimeMillis();
            out.write(WireReaderTest.frame(true, message, utf8("{\"type\":\"ticks\",\"seq\":2,\"ts\":" + now + ",\"data\":["
                    + "{\"symbol\":\"A\",\"ts\":" + now + "},{\"symbol\":\"B\",\"ts\":" + now + "}]}")));
            String split = "{\"type\":\"ticks\",\"seq\":3,\"ts\":" + now + ",\"data\":[{\"symbol\":\"A\",\"ts\":" + now + "}]}";
            out.write(WireReaderTest.frame(false, message, utf8(split.substring(0, 30))));
            out.write(WireReaderTest.frame(true, 0, utf8(split.substring(30))));
            out.write(WireReaderTest.frame(true, 9, utf8("hb")));
            out.flush();
            pong.complete(readMasked(in));
            out.write(WireReaderTest.frame(true, message, utf8("{\"type\":\"ticks\",\"seq\":5,\"ts\":" + now + ",\"data\":["
                    + "{\"symbol\":\"A\",\"ts\":" + now + "},{\"symbol\":\"B\",\"ts\":" + now + "}]}")));
            out.write(WireReaderTest.frame(true, 8, new byte[] {0x03, (byte) 0xE9}));
            out.flush();
            readMasked(in);                          // the client's answer to the close
        } catch (Exception e) {
            subscription.completeExceptionally(e);
            pong.completeExceptionally(e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the client closed before its request ended");
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** One frame from the client, which must be masked; its payload unmasked. */
    private static String readMasked(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        assertTrue((b1 & 0x80) != 0, "a client frame must be masked");
        int length = b1 & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        }
        byte[] mask = in.readNBytes(4);
        byte[] payload = in.readNBytes(length);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
        }
        return new String(payload, StandardCharsets.UTF_8);
    }
}
