package dev.ticker.loadgen;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A client that subscribes to everything and then never reads again, as a hung process on the
 * other end of a real network does. It is a plain socket with a 4 KiB receive buffer, because the
 * JDK's WebSocket keeps reading the socket into its own buffers when the application stops asking
 * for messages, so a {@code java.net.http.WebSocket} that "stops reading" never stalls a server.
 * It speaks just enough of RFC 6455 to open (the upgrade request) and to send one masked text
 * frame; it never parses a frame, so it is no framing layer of its own.
 */
final class StalledClient implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Socket socket;

    private StalledClient(Socket socket) {
        this.socket = socket;
    }

    /** Opens the WebSocket, reads the handshake response head, subscribes to {@code symbols}. */
    static StalledClient open(URI uri, String subscribe) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 30_000);
        socket.setSoTimeout(30_000);
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String request = "GET " + uri.getRawPath() + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ticker.v1\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                socket.close();
                throw new IOException("connection closed during the handshake");
            }
            head.append((char) b);
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            socket.close();
            throw new IOException("handshake refused: " + head.toString().lines().findFirst().orElse(""));
        }
        out.write(maskedText(subscribe));
        out.flush();
        return new StalledClient(socket);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (payload.length >= 126) {
            throw new IllegalArgumentException("subscribe request too long for one short frame");
        }
        byte[] frame = new byte[2 + 4 + payload.length];
        frame[0] = (byte) 0x81;                              // FIN, text
        frame[1] = (byte) (0x80 | payload.length);           // masked, as RFC 6455 requires of clients
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }
}
