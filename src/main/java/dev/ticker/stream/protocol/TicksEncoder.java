package dev.ticker.stream.protocol;

import jakarta.websocket.Encoder;

/**
 * Encodes {@link Ticks}: at most one quote per symbol, the latest:
 * <pre>{@code
 * {"type":"ticks","seq":4,"ts":1763712000100,"data":[{"symbol":"AAPL","price":189.55,…},{"symbol":"MSFT",…}]}
 * }</pre>
 */
public final class TicksEncoder implements Encoder.Text<Ticks> {

    @Override
    public String encode(Ticks event) {
        return Frames.withQuotes("ticks", event.seq(), event.ts(), event.data());
    }
}
