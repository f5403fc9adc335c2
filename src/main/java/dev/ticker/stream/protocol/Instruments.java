package dev.ticker.stream.protocol;

import dev.ticker.market.Instrument;
import jakarta.json.stream.JsonGenerator;
import java.io.StringWriter;
import java.util.List;

/**
 * The universe as {@code welcome} tells it, encoded once: every connection's welcome carries the
 * same {@code symbols}, {@code instruments} and {@code currency}, which at 10,000 symbols are over
 * half a megabyte of JSON; generating them anew for each handshake would cost every one of them.
 */
public final class Instruments {

    /** The currency of every instrument's prices. */
    public static final String CURRENCY = "USD";

    private final List<Instrument> list;
    private final String json;

    public Instruments(List<Instrument> list) {
        this.list = List.copyOf(list);
        StringWriter out = new StringWriter(64 + 64 * list.size());
        try (JsonGenerator json = Frames.GENERATORS.createGenerator(out)) {
            json.writeStartObject().writeStartArray("symbols");
            this.list.forEach(instrument -> json.write(instrument.symbol()));
            json.writeEnd().writeStartArray("instruments");
            this.list.forEach(instrument -> json.writeStartObject()
                    .write("symbol", instrument.symbol()).write("name", instrument.name()).writeEnd());
            json.writeEnd().write("currency", CURRENCY).writeEnd();
        }
        String object = out.toString();
        this.json = object.substring(1, object.length() - 1);
    }

    public List<Instrument> list() {
        return list;
    }

    /** {@code "symbols":[…],"instruments":[…],"currency":"USD"}: the members, without braces. */
    String json() {
        return json;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Instruments that && list.equals(that.list);
    }

    @Override
    public int hashCode() {
        return list.hashCode();
    }
}
