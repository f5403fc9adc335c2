package dev.ticker.stream.protocol;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.json.stream.JsonParsingException;
import jakarta.websocket.Decoder;
import jakarta.websocket.EndpointConfig;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes every client text frame into a {@link Command}. It never throws: anything that is not a
 * valid command becomes {@link Invalid} with the reason, so the endpoint can answer with a typed
 * {@code error} frame and keep the connection open. Accepted frames:
 * <pre>{@code
 * {"type":"subscribe","id":1,"symbols":["AAPL","msft"],"snapshot":false}
 * {"type":"unsubscribe","id":"u1","symbols":["*"]}
 * {"type":"ping","id":42}
 * {"type":"history","id":7,"symbol":"AAPL","session":"previous"}
 * }</pre>
 * Symbols are matched case-insensitively and answered in upper case.
 */
public final class CommandDecoder implements Decoder.Text<Command> {

    /** Default of {@code limits.maxMessageBytes}. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 4096;

    /** Longest symbol a request may name: no real symbol comes close, and replies echo them. */
    public static final int MAX_SYMBOL_LENGTH = 32;

    /** Longest {@code id} (a string's characters, a number's JSON text): replies echo it. */
    public static final int MAX_ID_LENGTH = 64;

    /** Longest part of a client's text an error message quotes. */
    private static final int MAX_QUOTED = 32;

    private static final JsonParserFactory PARSERS = Frames.JSON.createParserFactory(Map.of());

    /**
     * The endpoint configuration's user property that holds the limit, an {@link Integer}: a
     * decoder is made by the container with no arguments, and {@link #init} is how it learns it.
     */
    public static final String MAX_BYTES_PROPERTY = CommandDecoder.class.getName() + ".maxBytes";

    private int maxBytes;

    /** The decoder the container creates: its limit comes from {@link #init}, else the default. */
    public CommandDecoder() {
        this(DEFAULT_MAX_MESSAGE_BYTES);
    }

    /** A decoder rejecting frames over {@code maxBytes} UTF-8 bytes. */
    public CommandDecoder(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Takes the limit from the endpoint's configuration ({@link #MAX_BYTES_PROPERTY}). */
    @Override
    public void init(EndpointConfig config) {
        if (config != null && config.getUserProperties().get(MAX_BYTES_PROPERTY) instanceof Integer limit) {
            maxBytes = limit;
        }
    }

    /** Always true: parsing happens once, in {@link #decode}, which never fails. */
    @Override
    public boolean willDecode(String text) {
        return true;
    }

    @Override
    public Command decode(String text) {
        if (tooBig(text)) {
            return new Invalid(null, ErrorCode.MESSAGE_TOO_BIG,
                    "message exceeds " + maxBytes + " bytes");
        }
        JsonValue value;
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            if (!parser.hasNext()) {
                return bad(null, "empty message; expected a JSON object");
            }
            parser.next();
            value = parser.getValue();
            // One frame is one JSON value: "{...} trailing" is as malformed as "{...".
            if (parser.hasNext()) {
                return bad(null, "malformed JSON: unexpected content after the object");
            }
        } catch (JsonParsingException e) {
            // Where, not the parser's own words: those name its tokens and states.
            return bad(null, "malformed JSON at line " + e.getLocation().getLineNumber()
                    + ", column " + e.getLocation().getColumnNumber());
        } catch (RuntimeException e) {
            // JsonException and friends, but also whatever a JSON-P implementation throws on its
            // own limits: Parsson refuses input nested over 1,000 deep with a bare RuntimeException.
            return bad(null, "malformed JSON, or nested too deeply");
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            return bad(null, "a request must be a JSON object");
        }
        JsonObject request = value.asJsonObject();
        JsonValue id = request.get("id");
        if (id != null && id.getValueType() != JsonValue.ValueType.STRING
                && id.getValueType() != JsonValue.ValueType.NUMBER) {
            return bad(null, "field 'id' must be a string or a number");
        }
        if (id != null && (id instanceof JsonString string ? string.getString() : id.toString()).length() > MAX_ID_LENGTH) {
            return bad(null, "field 'id' must be at most " + MAX_ID_LENGTH + " characters");
        }
        JsonValue type = request.get("type");
        if (type == null) {
            return bad(id, "missing field 'type'");
        }
        if (type.getValueType() != JsonValue.ValueType.STRING) {
            return bad(id, "field 'type' must be a string");
        }
        String name = ((JsonString) type).getString();
        return switch (name) {
            case "subscribe" -> subscribe(id, request);
            case "unsubscribe" -> unsubscribe(id, request);
            case "ping" -> new Ping(id);
            case "history" -> history(id, request);
            default -> new Invalid(id, ErrorCode.UNKNOWN_TYPE,
                    "unknown type " + quote(name) + "; expected subscribe, unsubscribe, ping or history");
        };
    }

    private Command subscribe(JsonValue id, JsonObject request) {
        List<String> symbols = symbols(request);
        if (symbols == null) {
            return bad(id, SYMBOLS_FIELD);
        }
        JsonValue snapshot = request.getOrDefault("snapshot", JsonValue.TRUE);
        if (snapshot != JsonValue.TRUE && snapshot != JsonValue.FALSE) {
            return bad(id, "field 'snapshot' must be true or false");
        }
        return new Subscribe(id, symbols, snapshot == JsonValue.TRUE);
    }

    private static final JsonString CURRENT = Frames.JSON.createValue("current");

    private Command history(JsonValue id, JsonObject request) {
        JsonValue symbol = request.get("symbol");
        // Blank is refused as /api/history refuses it, not looked up as the symbol "".
        if (!(symbol instanceof JsonString text) || text.getString().isBlank()
                || text.getString().length() > MAX_SYMBOL_LENGTH) {
            return bad(id, "field 'symbol' must be a string of 1 to " + MAX_SYMBOL_LENGTH + " characters, not blank");
        }
        JsonValue session = request.getOrDefault("session", CURRENT);
        boolean previous = session instanceof JsonString s && s.getString().equals("previous");
        if (!previous && !(session instanceof JsonString s && s.getString().equals("current"))) {
            return bad(id, "field 'session' must be \"current\" or \"previous\"");
        }
        return new HistoryRequest(id, text.getString().trim().toUpperCase(Locale.ROOT), previous);
    }

    private Command unsubscribe(JsonValue id, JsonObject request) {
        List<String> symbols = symbols(request);
        if (symbols == null) {
            return bad(id, SYMBOLS_FIELD);
        }
        return new Unsubscribe(id, symbols);
    }

    private static final String SYMBOLS_FIELD = "field 'symbols' must be a non-empty array of strings of at most "
            + MAX_SYMBOL_LENGTH + " characters";

    /**
     * The upper-cased symbols, or null if the field is missing, empty, or holds a non-string or a
     * string longer than {@value #MAX_SYMBOL_LENGTH}.
     */
    private static List<String> symbols(JsonObject request) {
        JsonValue field = request.get("symbols");
        if (field == null || field.getValueType() != JsonValue.ValueType.ARRAY) {
            return null;
        }
        JsonArray array = field.asJsonArray();
        if (array.isEmpty()) {
            return null;
        }
        List<String> symbols = new ArrayList<>(array.size());
        for (JsonValue element : array) {
            if (element.getValueType() != JsonValue.ValueType.STRING
                    || ((JsonString) element).getString().length() > MAX_SYMBOL_LENGTH) {
                return null;
            }
            symbols.add(((JsonString) element).getString().trim().toUpperCase(Locale.ROOT));
        }
        return symbols;
    }

    private boolean tooBig(String text) {
        // A char is 1 to 3 UTF-8 bytes (a surrogate pair is 4 for two chars): skip the count when
        // the answer is clear either way.
        if (text.length() > maxBytes) {
            return true;
        }
        if ((long) text.length() * 3 <= maxBytes) {
            return false;
        }
        return text.getBytes(StandardCharsets.UTF_8).length > maxBytes;
    }

    private static Invalid bad(JsonValue id, String message) {
        return new Invalid(id, ErrorCode.BAD_REQUEST, message);
    }

    /** A client's text in an error message: quoted, cut to {@value #MAX_QUOTED} characters, printable ASCII only. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder("'");
        for (int i = 0; i < text.length() && i < MAX_QUOTED; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f && c != '\'' ? c : '?');
        }
        return out.append(text.length() > MAX_QUOTED ? "...'" : "'").toString();
    }
}
