package dev.ticker.stream.protocol;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Locale;

/**
 * Coverage-guided fuzzing of the decoder (Jazzer): whatever text a client sends, decoding returns a
 * command (never throws), an error names no internals and quotes little, and what it accepts keeps
 * the promises the rest of the server relies on. In a normal test run this replays the inputs under
 * src/test/resources/dev/ticker/stream/protocol/CommandDecoderFuzzTestInputs; CI fuzzes it for a
 * bounded time (JAZZER_FUZZ=1, see .ci/run and README "Fuzzing").
 */
class CommandDecoderFuzzTest {

    private static final CommandDecoder DECODER = new CommandDecoder(CommandDecoder.DEFAULT_MAX_MESSAGE_BYTES);

    @FuzzTest(maxDuration = "60s")
    @DictionaryEntries({"{\"type\":\"subscribe\",", "{\"type\":\"unsubscribe\",", "{\"type\":\"ping\"", "\"symbols\":[",
        "\"id\":", "\"snapshot\":", "true", "false", "null", "\"*\"", "\"AAPL\"", "[[[[", "]]]]", "\\u0000", "1e999"})
    void decodingAnyTextGivesACommandAndKeepsItsPromises(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        Command command = DECODER.decode(text);
        assertNotNull(command);
        if (command.id() != null) {
            JsonValue id = command.id();
            assertTrue(id.getValueType() == JsonValue.ValueType.STRING || id.getValueType() == JsonValue.ValueType.NUMBER);
            String shown = id instanceof JsonString s ? s.getString() : id.toString();
            assertTrue(shown.length() <= CommandDecoder.MAX_ID_LENGTH, shown);
        }
        if (command instanceof Invalid invalid) {
            String message = invalid.message();
            assertTrue(message.length() < 200, message);
            // What the server says itself, without the (short, cleaned) quote of the client's text,
            // which may hold any word: the first finding was a type named "piAAexception...".
            String own = message.replaceAll("'[^']*'", "''").toLowerCase(Locale.ROOT);
            assertFalse(own.contains("exception") || own.contains("parsson") || own.contains("java."), message);
            for (char c : message.toCharArray()) {
                assertTrue(c >= 0x20 && c < 0x7f, () -> "unprintable character in " + message);
            }
        } else if (command instanceof Subscribe subscribe) {
            checkSymbols(subscribe.symbols());
        } else if (command instanceof Unsubscribe unsubscribe) {
            checkSymbols(unsubscribe.symbols());
        }
    }

    private static void checkSymbols(java.util.List<String> symbols) {
        assertFalse(symbols.isEmpty());
        for (String symbol : symbols) {
            assertTrue(symbol.length() <= CommandDecoder.MAX_SYMBOL_LENGTH, symbol);
            assertTrue(symbol.equals(symbol.toUpperCase(Locale.ROOT)), symbol);
        }
    }
}
