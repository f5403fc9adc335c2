package dev.ticker.it;

import dev.ticker.stream.protocol.FrameContract;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * A WebSocket client by hand, on a plain socket, for what a well-behaved client library will not
 * do: send a handshake with any {@code Origin}, and stop reading while the server keeps sending.
 */
public final class RawWebSocket implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String head;
    private final List<String> contractProblems = new java.util.concurrent.CopyOnWriteArrayList<>();

    private RawWebSocket(Socket socket, String head) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.head = head;
    }

    /**
     * Sends a handshake to {@code uri} offering {@code ticker.v1}, with {@code origin} unless it is
     * null, and reads the response head. {@code receiveBuffer} sizes the socket's receive buffer
     * (0 = the system default); a small one makes a client that stops reading stall the server soon.
     */
    public static RawWebSocket open(URI uri, String origin, int receiveBuffer) throws IOException {
        return open(uri, origin, receiveBuffer, List.of());
    }

    /** As {@link #open(URI, String, int)}, with more request header lines ({@code Name: value}). */
    public static RawWebSocket open(URI uri, String origin, int receiveBuffer, List<String> headers) throws IOException {
        return open(uri, origin, receiveBuffer, headers, null);
    }

    /**
     * As {@link #open(URI, String, int, List)}, from the local address {@code from} (null: any). On
     * loopback, 127.0.0.2, 127.0.0.3, ... are as many different client addresses to the server.
     */
    public static RawWebSocket open(URI uri, String origin, int receiveBuffer, List<String> headers,
                                    java.net.InetAddress from) throws IOException {
        List<String> lines = new java.util.ArrayList<>(List.of(
                "Upgrade: websocket",
                "Connection: Upgrade",
                "Sec-WebSocket-Key: " + newKey(),
                "Sec-WebSocket-Version: 13",
                "Sec-WebSocket-Protocol: ticker.v1"));
        if (origin != null) {
            lines.add("Origin: " + origin);
        }
        lines.addAll(headers);
        return handshake(uri, lines, receiveBuffer, from);
    }

    /**
     * Sends a request for {@code uri} with exactly these header lines after {@code Host} (none
     * added: an attacker's handshake is whatever they write) and reads the response head.
     */
    public static RawWebSocket handshake(URI uri, List<String> headerLines, int receiveBuffer,
                                         java.net.InetAddress from) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        if (from != null) {
            socket.bind(new java.net.InetSocketAddress(from, 0));
        }
        socket.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
        socket.setSoTimeout(10_000);
        StringBuilder request = new StringBuilder()
                .append("GET ").append(uri.getRawPath()).append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                .append(" HTTP/1.1\r\n")
                .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n");
        headerLines.forEach(header -> request.append(header).append("\r\n"));
        request.append("\r\n");
        socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = new BufferedInputStream(socket.getInputStream(), 1);
        return new RawWebSocket(socket, readHead(in));
    }

    /** A fresh {@code Sec-WebSocket-Key}: 16 random bytes in base64. */
    public static String newKey() {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** The first line of the handshake response, e.g. {@code HTTP/1.1 101 Switching Protocols}. */
    public String statusLine() {
        int end = head.indexOf("\r\n");
        return end < 0 ? head : head.substring(0, end);
    }

    /** The whole head of the handshake response: status line and header lines. */
    public String head() {
        return head;
    }

    /** Whether the handshake was answered with 101. */
    public boolean upgraded() {
        return statusLine().startsWith("HTTP/1.1 101");
    }

    /** The value of response header {@code name}, or null. */
    public String header(String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** What the server sends after the response head, unparsed (an event stream's body, chunked). */
    public InputStream body() {
        return in;
    }

    /** A frame from the server: opcode (1 text, 8 close, 9 ping, 10 pong) and payload. */
    public record Frame(int opcode, byte[] payload) {
        /** The close code of a close frame, or -1. */
        public int closeCode() {
            return opcode == 8 && payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
        }

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    /** Reads the next frame (unfragmented, as this server sends them); null at the end of the stream. */
    public Frame readFrame() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            return null;
        }
        int b1 = in.read();
        long length = b1 & 0x7F;
        if (length == 126) {
            length = (in.read() << 8) | in.read();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | in.read();
            }
        }
        if (length > 1 << 24) {
            throw new IOException("frame too large for this helper: " + length);
        }
        byte[] payload = in.readNBytes((int) length);
        int opcode = b0 & 0x0F;
        if ((opcode == 1 || opcode == 2) && payload.length == length) {
            // Hostile input or not, what the server sends must keep the published contract.
            for (String error : FrameContract.serverFrameErrors(payload)) {
                String text = new String(payload, StandardCharsets.UTF_8);
                contractProblems.add(error + " in " + (text.length() > 300 ? text.substring(0, 300) + "…" : text));
            }
        }
        return new Frame(opcode, payload);
    }

    /** Reads frames, answering none, until a close frame (returned) or the end of the stream (null). */
    public Frame readUntilClose() throws IOException {
        for (Frame frame = readFrame(); frame != null; frame = readFrame()) {
            if (frame.opcode() == 8) {
                return frame;
            }
        }
        return null;
    }

    /** Sets how long a read may wait. */
    public void readTimeout(java.time.Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    /** Sends one masked text frame, as RFC 6455 requires of a client. */
    public void sendText(String text) throws IOException {
        sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8), true);
    }

    /**
     * Sends one masked frame of {@code opcode} (0 continuation, 1 text, 2 binary, 8 close, 9 ping,
     * 10 pong) with {@code fin} as given: enough to send fragments and invalid UTF-8 by hand.
     */
    public void sendFrame(int opcode, byte[] payload, boolean fin) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65_536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xFF);
        } else {
            throw new IllegalArgumentException("frame too large for this helper");
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** Closes the socket; then fails if a text or binary frame read broke the published contract. */
    @Override
    public void close() throws IOException {
        socket.close();
        assertContractKept();
    }

    /** Ends the connection as a WebSocket should: a close frame (1000), then the socket; then checks as {@link #close}. */
    public void closeWithFrame() throws IOException {
        try {
            sendFrame(0x8, new byte[] {0x03, (byte) 0xE8}, true);
        } finally {
            socket.close();
        }
        assertContractKept();
    }

    /** Drops the connection with a TCP reset, as a client that crashed or lost its network does; then checks as {@link #close}. */
    public void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
        assertContractKept();
    }

    private void assertContractKept() {
        FrameContract.assertKept(contractProblems, 0, List.of());
    }

    /** Reads the response head up to the blank line. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            head.append((char) b);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return head.toString();
    }

    /** Closes every one of {@code sockets}, whatever each close throws. */
    static void closeAll(java.util.List<RawWebSocket> sockets) {
        for (RawWebSocket socket : sockets) {
            try {
                socket.close();
            } catch (Exception ignored) {
                // closing anyway
            }
        }
    }
}
