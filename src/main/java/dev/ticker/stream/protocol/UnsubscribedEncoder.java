package dev.ticker.stream.protocol;

import jakarta.websocket.Encoder;

/**
 * Encodes {@link Unsubscribed}; {@code symbols} is what the connection is still subscribed to:
 * <pre>{@code
 * {"type":"unsubscribed","id":"u1","seq":9,"ts":1763712003000,"symbols":["MSFT"]}
 * }</pre>
 */
public final class UnsubscribedEncoder implements Encoder.Text<Unsubscribed> {

    @Override
    public String encode(Unsubscribed event) {
        return Frames.write("unsubscribed", event.id(), event.seq(), event.ts(), json -> {
            json.writeStartArray("symbols");
            event.symbols().forEach(json::write);
            json.writeEnd();
        });
    }
}
