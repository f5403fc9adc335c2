package dev.ticker.stream.protocol;

import jakarta.websocket.Encoder;

/**
 * Encodes {@link Welcome}:
 * <pre>{@code
 * {"type":"welcome","seq":1,"ts":1763712000000,"protocol":"ticker.v1","heartbeatMs":10000,
 *  "limits":{"maxSymbols":200,"maxMessageBytes":4096,"maxMessagesPerSecond":20},
 *  "symbols":["AAPL","MSFT","NVDA"]}
 * }</pre>
 */
public final class WelcomeEncoder implements Encoder.Text<Welcome> {

    @Override
    public String encode(Welcome welcome) {
        return Frames.write("welcome", null, welcome.seq(), welcome.ts(), json -> {
            json.write("protocol", welcome.protocol())
                    .write("heartbeatMs", welcome.heartbeatMs())
                    .writeStartObject("limits")
                    .write("maxSymbols", welcome.limits().maxSymbols())
                    .write("maxMessageBytes", welcome.limits().maxMessageBytes())
                    .write("maxMessagesPerSecond", welcome.limits().maxMessagesPerSecond())
                    .writeEnd()
                    .writeStartArray("symbols");
            welcome.symbols().forEach(json::write);
            json.writeEnd();
        });
    }
}
