package dev.ticker.stream.protocol;

import jakarta.websocket.Encoder;

/**
 * Encodes {@link Heartbeat}:
 * <pre>{@code
 * {"type":"heartbeat","seq":12,"ts":1763712010000}
 * }</pre>
 */
public final class HeartbeatEncoder implements Encoder.Text<Heartbeat> {

    @Override
    public String encode(Heartbeat event) {
        return Frames.write("heartbeat", null, event.seq(), event.ts(), json -> { });
    }
}
