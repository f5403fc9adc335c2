package dev.ticker.stream.protocol;

import dev.ticker.market.MarketStatus;
import jakarta.json.stream.JsonGenerator;
import jakarta.websocket.Encoder;

/**
 * Encodes {@link MarketState}, the frame that announces each change of the market's state:
 * <pre>{@code
 * {"type":"market","seq":812,"ts":1763712390000,"state":"closed","session":0,
 *  "opensAt":1763712000000,"closesAt":1763712390000,"nextOpensAt":1763712450000,"timeScale":60.0}
 * }</pre>
 * While closed, {@code session}, {@code opensAt} and {@code closesAt} are the last session's. The
 * same object, without the envelope, is {@code welcome}'s {@code market}.
 */
public final class MarketStateEncoder implements Encoder.Text<MarketState> {

    @Override
    public String encode(MarketState event) {
        return Frames.write("market", null, event.seq(), event.ts(), json -> fields(json, event.status()));
    }

    /** The state's fields, into the object {@code json} is writing. */
    static void fields(JsonGenerator json, MarketStatus status) {
        json.write("state", status.open() ? "open" : "closed")
                .write("session", status.session())
                .write("opensAt", status.opensAt())
                .write("closesAt", status.closesAt())
                .write("nextOpensAt", status.nextOpensAt())
                .write("timeScale", status.timeScale());
    }
}
