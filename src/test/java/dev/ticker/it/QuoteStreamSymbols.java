package dev.ticker.it;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Reading symbols out of protocol frames. */
public final class QuoteStreamSymbols {

    private QuoteStreamSymbols() {
    }

    /** The symbols of the quotes in a {@code snapshot} or {@code ticks} frame. */
    public static Set<String> of(JsonObject frame) {
        return frame.getJsonArray("data").getValuesAs(JsonValue::asJsonObject).stream()
                .map(q -> q.getString("symbol")).collect(Collectors.toSet());
    }

    /** A field holding an array of strings, such as {@code symbols}. */
    public static List<String> strings(JsonObject frame, String field) {
        return frame.getJsonArray(field).getValuesAs(JsonString.class).stream()
                .map(JsonString::getString).collect(Collectors.toList());
    }
}
