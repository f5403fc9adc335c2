package dev.ticker.stream.protocol;

import jakarta.websocket.Encoder;

/**
 * Encodes {@link Snapshot}; each element of {@code data} is a quote as {@link QuoteEncoder} writes it:
 * <pre>{@code
 * {"type":"snapshot","seq":3,"ts":1763712000051,"data":[{"symbol":"AAPL","price":189.52,…}]}
 * }</pre>
 */
public final class SnapshotEncoder implements Encoder.Text<Snapshot> {

    @Override
    public String encode(Snapshot event) {
        return Frames.withQuotes("snapshot", event.seq(), event.ts(), event.data());
    }
}
