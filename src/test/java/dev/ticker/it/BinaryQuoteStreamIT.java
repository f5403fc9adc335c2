package dev.ticker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every test of {@link QuoteStreamIT} again, its clients offering {@code ticker.v1.binary}: the
 * same frames, each a binary message of its UTF-8 JSON, and never a text message from the server.
 */
class BinaryQuoteStreamIT extends QuoteStreamIT {

    private final List<BinaryQuoteClient> clients = new ArrayList<>();

    @Override
    String subprotocol() {
        return "ticker.v1.binary";
    }

    @Override
    QuoteClient connect() throws Exception {
        BinaryQuoteClient client = BinaryQuoteClient.connect(stream());
        clients.add(client);
        return client;
    }

    /** The frames each test saw were binary messages: a text one would have been counted. */
    @AfterEach
    void everyServerFrameCameAsABinaryMessage() {
        for (BinaryQuoteClient client : clients) {
            assertEquals(0, client.textMessages(), "text messages in the binary variant");
        }
    }

    @Test
    void theServerTakesTheFirstVariantTheClientOffers() throws Exception {
        for (String offer : List.of("ticker.v1.binary, ticker.v1", "ticker.v1, ticker.v1.binary", "chat, ticker.v1.binary")) {
            try (RawWebSocket socket = RawWebSocket.handshake(stream(), List.of("Upgrade: websocket", "Connection: Upgrade",
                    "Sec-WebSocket-Key: " + RawWebSocket.newKey(), "Sec-WebSocket-Version: 13",
                    "Sec-WebSocket-Protocol: " + offer), 0, null)) {
                assertTrue(socket.statusLine().startsWith("HTTP/1.1 101"), socket::head);
                String chosen = offer.startsWith("ticker.v1,") ? "ticker.v1" : "ticker.v1.binary";
                assertEquals(chosen, socket.header("Sec-WebSocket-Protocol"), socket::head);
                RawWebSocket.Frame welcome = socket.readFrame();
                assertEquals(chosen.equals("ticker.v1") ? 0x1 : 0x2, welcome.opcode(), () -> "opcode of the welcome under " + offer);
                String json = new String(welcome.payload(), StandardCharsets.UTF_8);
                assertTrue(json.startsWith("{\"type\":\"welcome\",\"seq\":1,"), json);
            }
        }
    }

    @Test
    void aBinaryRequestIsStillRefusedWith1003() throws Exception {
        try (QuoteClient client = connect()) {
            client.expect("welcome");
            client.sendBinaryExpectingClose("{\"type\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
            assertEquals(1003, client.awaitClose().getCloseCode().getCode());
        }
    }
}
