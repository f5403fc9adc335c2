package dev.ticker.stream.protocol;

import jakarta.websocket.Encoder;

/**
 * Encodes {@link Subscribed}; {@code symbols} is the connection's whole set after the request:
 * <pre>{@code
 * {"type":"subscribed","id":7,"seq":2,"ts":1763712000050,"symbols":["AAPL","MSFT"],
 *  "rejected":[{"symbol":"XYZ","code":"UNKNOWN_SYMBOL"}]}
 * }</pre>
 */
public final class SubscribedEncoder implements Encoder.Text<Subscribed> {

    @Override
    public String encode(Subscribed event) {
        return Frames.write("subscribed", event.id(), event.seq(), event.ts(), json -> {
            json.writeStartArray("symbols");
            event.symbols().forEach(json::write);
            json.writeEnd().writeStartArray("rejected");
            for (Rejection rejection : event.rejected()) {
                json.writeStartObject()
                        .write("symbol", rejection.symbol())
                        .write("code", rejection.code().name())
                        .writeEnd();
            }
            json.writeEnd();
        });
    }
}
