package dev.ticker.stream.protocol;

import jakarta.websocket.Encoder;

/**
 * Encodes {@link Pong}, echoing the ping's {@code id}:
 * <pre>{@code
 * {"type":"pong","id":42,"seq":13,"ts":1763712010500}
 * }</pre>
 */
public final class PongEncoder implements Encoder.Text<Pong> {

    @Override
    public String encode(Pong event) {
        return Frames.write("pong", event.id(), event.seq(), event.ts(), json -> { });
    }
}
