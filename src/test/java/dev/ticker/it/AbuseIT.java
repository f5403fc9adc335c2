package dev.ticker.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.websocket.CloseReason;
import org.junit.jupiter.api.Test;

/** Hostile input gets the answer docs/protocol.md promises, and the server carries on. */
class AbuseIT extends DeployedTicker {

    @Test
    void oversizedTextClosesWith1009() throws Exception {
        try (QuoteClient client = connect()) {
            int max = client.expect("welcome").getJsonObject("limits").getInt("maxMessageBytes");
            client.sendExpectingClose("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(max) + "\"}");
            assertEquals(CloseReason.CloseCodes.TOO_BIG.getCode(), client.awaitClose().getCloseCode().getCode());
        }
        assertServerStillServes();
    }

    @Test
    void textJustUnderTheLimitIsAccepted() throws Exception {
        try (QuoteClient client = connect()) {
            int max = client.expect("welcome").getJsonObject("limits").getInt("maxMessageBytes");
            String prefix = "{\"type\":\"ping\",\"id\":1,\"pad\":\"";
            client.send(prefix + "x".repeat(max - prefix.length() - 2) + "\"}");
            assertEquals(1, client.awaitType("pong").getInt("id"));
        }
    }

    @Test
    void binaryFrameClosesWith1003() throws Exception {
        try (QuoteClient client = connect()) {
            client.expect("welcome");
            client.sendBinaryExpectingClose(new byte[] {1, 2, 3});
            assertEquals(CloseReason.CloseCodes.CANNOT_ACCEPT.getCode(), client.awaitClose().getCloseCode().getCode());
        }
        assertServerStillServes();
    }

    // The message flood (rate limited, then 1008) is in HostileInputIT, with the rest of the battery.

    @Test
    void aBurstJustOverTheLimitIsAnsweredButNotClosed() throws Exception {
        try (QuoteClient client = connect()) {
            // The token bucket lets maxMessageBurst through at once and refills meanwhile (one
            // token per 1/maxMessagesPerSecond s), so how many of the surplus are dropped depends on
            // how fast the server reads them: some, unless it takes longer than the surplus's worth
            // of refill (12 requests: 600 ms at the default rate). The exact counts are unit-tested
            // (RateLimiterTest); here: answered, some RATE_LIMITED, never more than the surplus,
            // and not closed (the client's patience outlasts the surplus).
            // Every request gets a reply (a pong or RATE_LIMITED), and a client with more than
            // limits.maxPendingReplies waiting is closed with 1008 (docs/protocol.md): the server
            // cannot tell one that sent them all before reading from one that never reads. So the
            // burst stays within that depth (past it, the server, reading them all before its first
            // replies had gone out, once closed this client on Tomcat 11), and within the patience
            // (maxMessagesPerSecond dropped requests) that keeps it from being closed as abusive.
            JsonObject limits = client.expect("welcome").getJsonObject("limits");
            int burst = limits.getInt("maxMessageBurst");
            int replyDepth = limits.getInt("maxPendingReplies");
            int surplus = Math.min(replyDepth - burst, limits.getInt("maxMessagesPerSecond")) - 1;
            assertTrue(surplus >= 1, "the default burst " + burst + " leaves no room for a surplus");
            for (int i = 0; i < burst + surplus; i++) {
                client.send("{\"type\":\"ping\",\"id\":" + i + "}");
            }
            int pongs = 0;
            int limited = 0;
            for (int i = 0; i < burst + surplus; i++) {
                JsonObject frame = client.await(f -> !f.getString("type").equals("heartbeat"), QuoteClient.WAIT, "reply");
                if (frame.getString("type").equals("pong")) {
                    pongs++;
                } else {
                    assertEquals("RATE_LIMITED", frame.getString("code"));
                    limited++;
                }
            }
            assertTrue(pongs >= burst, "pongs " + pongs);
            assertTrue(limited >= 1 && limited <= surplus, "limited " + limited);
            Thread.sleep(1100);   // the bucket refills (maxMessagesPerSecond a second)
            client.send("{\"type\":\"ping\",\"id\":\"after\"}");
            assertEquals("after", client.awaitType("pong").getString("id"));
            assertTrue(!client.isClosed());
        }
    }

    @Test
    void foreignOriginIsRefusedWith403BeforeUpgrade() throws Exception {
        String status = handshakeStatusLine("https://evil.example");
        assertTrue(status.startsWith("HTTP/1.1 403"), () -> "expected 403, got: " + status);
    }

    @Test
    void sameHostOriginAndNoOriginAreUpgraded() throws Exception {
        String sameHost = "http://" + base.getHost() + ":" + base.getPort();
        String withOrigin = handshakeStatusLine(sameHost);
        assertTrue(withOrigin.startsWith("HTTP/1.1 101"), () -> "same-host origin: " + withOrigin);
        String withoutOrigin = handshakeStatusLine(null);
        assertTrue(withoutOrigin.startsWith("HTTP/1.1 101"), () -> "no origin: " + withoutOrigin);
    }

    /** Sends a WebSocket handshake by hand and returns the status line of the answer. */
    private String handshakeStatusLine(String origin) throws Exception {
        try (RawWebSocket socket = RawWebSocket.open(stream(), origin, 0)) {
            return socket.statusLine();
        }
    }

    private void assertServerStillServes() throws Exception {
        try (QuoteClient client = connect()) {
            client.expect("welcome");
            client.send("{\"type\":\"ping\",\"id\":\"alive\"}");
            assertEquals("alive", client.awaitType("pong").getString("id"));
        }
    }
}
