package dev.ticker.stream.protocol;

import jakarta.websocket.Encoder;

/**
 * Encodes {@link Welcome}:
 * <pre>{@code
 * {"type":"welcome","seq":1,"ts":1763712000000,"protocol":"ticker.v1","heartbeatMs":10000,
 *  "limits":{"maxSymbols":200,"maxMessageBytes":4096,"maxMessagesPerSecond":20,"maxMessageBurst":20,
 *            "subscribeTimeoutMs":30000,"pingMs":30000,"pongTimeoutMs":10000,"sendTimeoutMs":10000,
 *            "maxSessionsPerAddress":100,"maxPendingReplies":40,"maxPendingReplyBytes":193536},
 *  "symbols":["AAPL","MSFT","NVDA"]}
 * }</pre>
 * In cluster mode it also names the node serving the connection, after {@code protocol}:
 * {@code "node":"node-2"}.
 */
public final class WelcomeEncoder implements Encoder.Text<Welcome> {

    @Override
    public String encode(Welcome welcome) {
        return Frames.write("welcome", null, welcome.seq(), welcome.ts(), json -> {
            json.write("protocol", welcome.protocol());
            if (!welcome.node().isEmpty()) {
                json.write("node", welcome.node());
            }
            json.write("heartbeatMs", welcome.heartbeatMs())
                    .writeStartObject("limits")
                    .write("maxSymbols", welcome.limits().maxSymbols())
                    .write("maxMessageBytes", welcome.limits().maxMessageBytes())
                    .write("maxMessagesPerSecond", welcome.limits().maxMessagesPerSecond())
                    .write("maxMessageBurst", welcome.limits().maxMessageBurst())
                    .write("subscribeTimeoutMs", welcome.limits().subscribeTimeoutMs())
                    .write("pingMs", welcome.limits().pingMs())
                    .write("pongTimeoutMs", welcome.limits().pongTimeoutMs())
                    .write("sendTimeoutMs", welcome.limits().sendTimeoutMs())
                    .write("maxSessionsPerAddress", welcome.limits().maxSessionsPerAddress())
                    .write("maxPendingReplies", welcome.limits().maxPendingReplies())
                    .write("maxPendingReplyBytes", welcome.limits().maxPendingReplyBytes())
                    .writeEnd()
                    .writeStartArray("symbols");
            welcome.symbols().forEach(json::write);
            json.writeEnd();
        });
    }
}
