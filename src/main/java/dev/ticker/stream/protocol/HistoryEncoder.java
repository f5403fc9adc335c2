package dev.ticker.stream.protocol;

import dev.ticker.history.Bars;
import jakarta.json.stream.JsonGenerator;
import jakarta.websocket.Encoder;

/**
 * Encodes {@link History}, one symbol's one-minute bars of simulated time for one session:
 * <pre>{@code
 * {"type":"history","id":7,"seq":5,"ts":1763712100000,"symbol":"AAPL","session":3,
 *  "opensAt":1763713350000,"closesAt":1763713740000,"barMs":1000.0,
 *  "columns":["t","open","high","low","close","volume"],
 *  "bars":[[1763713350000,189.10,189.42,189.05,189.40,48200],[1763713351000,189.40,189.51,189.22,189.30,3100]]}
 * }</pre>
 * {@code t} is when the bar's minute starts on the market's clock; {@code barMs} is how long a
 * simulated minute lasts in real time. Minutes in which the symbol did not trade have no bar. The
 * same object without the envelope is what {@code GET /ticker/api/history} answers.
 */
public final class HistoryEncoder implements Encoder.Text<History> {

    @Override
    public String encode(History event) {
        return Frames.write("history", event.id(), event.seq(), event.ts(), json -> fields(json, event.bars()));
    }

    /** The bars' fields, into the object {@code json} is writing. */
    public static void fields(JsonGenerator json, Bars bars) {
        json.write("symbol", bars.symbol())
                .write("session", bars.session())
                .write("opensAt", bars.opensAt())
                .write("closesAt", bars.closesAt())
                .write("barMs", bars.barMillis())
                .writeStartArray("columns").write("t").write("open").write("high").write("low").write("close").write("volume")
                .writeEnd()
                .writeStartArray("bars");
        for (int i = 0; i < bars.size(); i++) {
            json.writeStartArray()
                    .write(bars.start(i))
                    .write(Frames.money(bars.open(i)))
                    .write(Frames.money(bars.high(i)))
                    .write(Frames.money(bars.low(i)))
                    .write(Frames.money(bars.close(i)))
                    .write(bars.volume(i))
                    .writeEnd();
        }
        json.writeEnd();
    }
}
