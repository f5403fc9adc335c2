package dev.ticker.stream.protocol;

import jakarta.websocket.Encoder;

/**
 * Encodes {@link Welcome}:
 * <pre>{@code
 * {"type":"welcome","seq":1,"ts":1763712000000,"protocol":"ticker.v1",
 *  "build":{"version":"1.0.0","commit":"2aee8a1","dirty":false},"heartbeatMs":10000,
 *  "limits":{"maxSymbols":200,"maxMessageBytes":4096,"maxMessagesPerSecond":20,"maxMessageBurst":20,
 *            "subscribeTimeoutMs":30000,"pingMs":30000,"pongTimeoutMs":10000,"sendTimeoutMs":10000,
 *            "maxSessionsPerAddress":100,"maxPendingReplies":40,"maxPendingReplyBytes":193536},
 *  "market":{"state":"open","session":0,"opensAt":1763712000000,"closesAt":1763712390000,
 *            "nextOpensAt":1763712450000,"timeScale":60.0},
 *  "symbols":["AAPL","MSFT","NVDA"],
 *  "instruments":[{"symbol":"AAPL","name":"Apple"},{"symbol":"MSFT","name":"Microsoft"},{"symbol":"NVDA","name":"NVIDIA"}],
 *  "currency":"USD"}
 * }</pre>
 * {@code symbols} lists the same symbols as {@code instruments}, for clients that need no names.
 * {@code market} is as in {@link MarketStateEncoder}, {@code build} as in {@link Build}. In cluster
 * mode it also names the node serving the connection, after {@code protocol}: {@code "node":"node-2"}. The universe's part,
 * the same for every connection, is encoded once ({@link Instruments}) and joined on as text.
 */
public final class WelcomeEncoder implements Encoder.Text<Welcome> {

    @Override
    public String encode(Welcome welcome) {
        String head = Frames.write("welcome", null, welcome.seq(), welcome.ts(), json -> {
            json.write("protocol", welcome.protocol());
            if (!welcome.node().isEmpty()) {
                json.write("node", welcome.node());
            }
            json.writeStartObject("build")
                    .write("version", welcome.build().version())
                    .write("commit", welcome.build().commit())
                    .write("dirty", welcome.build().dirty())
                    .writeEnd();
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
                    .writeEnd();
            if (welcome.market() != null) {
                json.writeStartObject("market");
                MarketStateEncoder.fields(json, welcome.market());
                json.writeEnd();
            }
        });
        return head.substring(0, head.length() - 1) + "," + welcome.instruments().json() + "}";
    }
}
