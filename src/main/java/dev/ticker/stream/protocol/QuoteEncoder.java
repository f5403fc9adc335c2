package dev.ticker.stream.protocol;

import dev.ticker.market.Quote;
import jakarta.json.stream.JsonGenerator;
import jakarta.websocket.Encoder;
import java.io.StringWriter;

/**
 * Encodes one quote, the element of {@code snapshot} and {@code ticks} data arrays. Prices are
 * numbers with two decimals, {@code changePct} is in percent:
 * <pre>{@code
 * {"symbol":"AAPL","price":189.52,"bid":189.50,"ask":189.55,"bidSize":1200,"askSize":800,
 *  "lastSize":300,"volume":1534200,"open":189.10,"high":190.02,"low":188.71,"prevClose":189.50,
 *  "change":0.02,"changePct":0.01,"ts":1763712000123}
 * }</pre>
 */
public final class QuoteEncoder implements Encoder.Text<Quote> {

    @Override
    public String encode(Quote quote) {
        return toJson(quote);
    }

    /** The JSON of {@code quote}; called once per tick. */
    public static String toJson(Quote q) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator json = Frames.GENERATORS.createGenerator(out)) {
            json.writeStartObject()
                    .write("symbol", q.symbol())
                    .write("price", Frames.money(q.priceCents()))
                    .write("bid", Frames.money(q.bidCents()))
                    .write("ask", Frames.money(q.askCents()))
                    .write("bidSize", q.bidSize())
                    .write("askSize", q.askSize())
                    .write("lastSize", q.lastSize())
                    .write("volume", q.volume())
                    .write("open", Frames.money(q.openCents()))
                    .write("high", Frames.money(q.highCents()))
                    .write("low", Frames.money(q.lowCents()))
                    .write("prevClose", Frames.money(q.prevCloseCents()))
                    .write("change", Frames.money(q.changeCents()))
                    .write("changePct", Frames.money(q.changeBasisPoints()))
                    .write("ts", q.ts())
                    .writeEnd();
        }
        return out.toString();
    }
}
