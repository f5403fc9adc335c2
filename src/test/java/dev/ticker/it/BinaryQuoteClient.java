package dev.ticker.it;

import jakarta.websocket.ClientEndpoint;
import jakarta.websocket.ContainerProvider;
import jakarta.websocket.OnMessage;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link QuoteClient} for the binary variant: offers {@code ticker.v1.binary} only, and reads each
 * binary message as UTF-8 (strictly: a malformed byte fails the frame) JSON. A text message from
 * the server still counts as a frame, and {@link #textMessages()} tells the test it came.
 */
@ClientEndpoint(subprotocols = "ticker.v1.binary", configurator = HandshakeRecorder.class)
public class BinaryQuoteClient extends QuoteClient {

    private final AtomicInteger binaryMessages = new AtomicInteger();

    /** Connects to {@code uri} and returns once the handshake is done. */
    public static BinaryQuoteClient connect(URI uri) throws Exception {
        BinaryQuoteClient client = new BinaryQuoteClient();
        ContainerProvider.getWebSocketContainer().connectToServer(client, uri);
        return client;
    }

    @OnMessage
    public void receivedBinary(ByteBuffer bytes) throws CharacterCodingException {
        binaryMessages.incrementAndGet();
        frame(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes).toString());
    }

    /** How many server frames came as binary messages. */
    public int binaryMessages() {
        return binaryMessages.get();
    }
}
