package dev.ticker.stream.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandDecoderTest {

    private final CommandDecoder decoder = new CommandDecoder(4096);

    @Test
    void subscribeWithIdSymbolsAndSnapshot() {
        Command command = decoder.decode("{\"type\":\"subscribe\",\"id\":7,\"symbols\":[\"AAPL\",\"msft \"],\"snapshot\":false}");
        assertEquals(new Subscribe(Json.createValue(7), List.of("AAPL", "MSFT"), false), command);
    }

    @Test
    void subscribeSnapshotDefaultsToTrueAndIdToNone() {
        assertEquals(new Subscribe(null, List.of("*"), true), decoder.decode("{\"type\":\"subscribe\",\"symbols\":[\"*\"]}"));
    }

    @Test
    void unsubscribeAndPing() {
        assertEquals(new Unsubscribe(Json.createValue("u1"), List.of("AAPL")),
                decoder.decode("{\"type\":\"unsubscribe\",\"id\":\"u1\",\"symbols\":[\"AAPL\"]}"));
        assertEquals(new Ping(Json.createValue(42)), decoder.decode("{\"type\":\"ping\",\"id\":42}"));
        assertEquals(new Ping(null), decoder.decode("{\"type\":\"ping\"}"));
    }

    @Test
    void historyOfTheCurrentOrThePreviousSession() {
        assertEquals(new HistoryRequest(Json.createValue(7), "AAPL", false),
                decoder.decode("{\"type\":\"history\",\"id\":7,\"symbol\":\" aapl\"}"));
        assertEquals(new HistoryRequest(null, "MSFT", false),
                decoder.decode("{\"type\":\"history\",\"symbol\":\"MSFT\",\"session\":\"current\"}"));
        assertEquals(new HistoryRequest(null, "MSFT", true),
                decoder.decode("{\"type\":\"history\",\"symbol\":\"MSFT\",\"session\":\"previous\"}"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"type":"subscribe",                                       | BAD_REQUEST
            not json at all                                            | BAD_REQUEST
            ''                                                         | BAD_REQUEST
            [1,2,3]                                                    | BAD_REQUEST
            "ping"                                                     | BAD_REQUEST
            {"id":1}                                                   | BAD_REQUEST
            {"type":7}                                                 | BAD_REQUEST
            {"type":"subscribe"}                                       | BAD_REQUEST
            {"type":"subscribe","symbols":"AAPL"}                      | BAD_REQUEST
            {"type":"subscribe","symbols":[]}                          | BAD_REQUEST
            {"type":"subscribe","symbols":["AAPL",3]}                  | BAD_REQUEST
            {"type":"subscribe","symbols":["AAPL"],"snapshot":"yes"}   | BAD_REQUEST
            {"type":"unsubscribe","symbols":null}                      | BAD_REQUEST
            {"type":"ping","id":{"a":1}}                               | BAD_REQUEST
            {"type":"ping"} trailing                                   | BAD_REQUEST
            {"type":"history"}                                         | BAD_REQUEST
            {"type":"history","symbol":7}                              | BAD_REQUEST
            {"type":"history","symbol":""}                             | BAD_REQUEST
            {"type":"history","symbol":"   "}                          | BAD_REQUEST
            {"type":"history","symbol":["AAPL"]}                       | BAD_REQUEST
            {"type":"history","symbol":"AAPL","session":"yesterday"}   | BAD_REQUEST
            {"type":"history","symbol":"AAPL","session":1}             | BAD_REQUEST
            {"type":"history","symbol":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} | BAD_REQUEST
            {"type":"launch"}                                          | UNKNOWN_TYPE
            {"type":"PING"}                                            | UNKNOWN_TYPE
            """)
    void invalidFramesDecodeToTypedErrors(String text, ErrorCode code) {
        Command command = decoder.decode(text);
        Invalid invalid = assertInstanceOf(Invalid.class, command, () -> text + " decoded to " + command);
        assertEquals(code, invalid.code());
        assertTrue(invalid.message().length() > 5, invalid::message);
    }

    @Test
    void errorsEchoTheIdWhenItIsReadable() {
        Invalid invalid = (Invalid) decoder.decode("{\"type\":\"subscribe\",\"id\":\"s1\",\"symbols\":5}");
        assertEquals(Json.createValue("s1"), invalid.id());
        Invalid unknown = (Invalid) decoder.decode("{\"type\":\"nope\",\"id\":9}");
        assertEquals(Json.createValue(9), unknown.id());
        assertTrue(unknown.message().contains("nope"));
        assertNull(((Invalid) decoder.decode("{oops")).id());
    }

    @Test
    void framesOverTheLimitAreTooBigCountingUtf8Bytes() {
        CommandDecoder small = new CommandDecoder(64);
        String ascii = "{\"type\":\"ping\",\"id\":\"" + "x".repeat(64 - 23) + "\"}";
        assertEquals(64, ascii.length());
        assertInstanceOf(Ping.class, small.decode(ascii));
        Invalid tooBig = assertInstanceOf(Invalid.class, small.decode(ascii.replace("}", " }")));
        assertEquals(ErrorCode.MESSAGE_TOO_BIG, tooBig.code());
        // 30 characters, but 'é' is two bytes in UTF-8: 21 + 2 * 20 + 2 = 63 ... 83 bytes.
        String accented = "{\"type\":\"ping\",\"id\":\"" + "é".repeat(22) + "\"}";
        assertTrue(accented.length() <= 64);
        assertEquals(ErrorCode.MESSAGE_TOO_BIG, ((Invalid) small.decode(accented)).code());
    }

    @Test
    void theContainersDecoderTakesItsLimitFromTheEndpointConfiguration() {
        String request = "{\"type\":\"ping\",\"id\":\"" + "x".repeat(50) + "\"}";
        CommandDecoder byContainer = new CommandDecoder();
        assertInstanceOf(Ping.class, byContainer.decode(request), "the default limit, 4096, before init");
        java.util.Map<String, Object> properties = new java.util.HashMap<>(java.util.Map.of(CommandDecoder.MAX_BYTES_PROPERTY, 64));
        byContainer.init(new jakarta.websocket.EndpointConfig() {
            @Override
            public java.util.List<Class<? extends jakarta.websocket.Encoder>> getEncoders() {
                return java.util.List.of();
            }

            @Override
            public java.util.List<Class<? extends jakarta.websocket.Decoder>> getDecoders() {
                return java.util.List.of(CommandDecoder.class);
            }

            @Override
            public java.util.Map<String, Object> getUserProperties() {
                return properties;
            }
        });
        assertEquals(ErrorCode.MESSAGE_TOO_BIG, assertInstanceOf(Invalid.class, byContainer.decode(request)).code());
    }

    @Test
    void deepNestingIsABadRequestNotACrash() {
        CommandDecoder large = new CommandDecoder(1 << 20);
        String deep = "{\"type\":\"ping\",\"x\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        Invalid invalid = assertInstanceOf(Invalid.class, large.decode(deep));
        assertEquals(ErrorCode.BAD_REQUEST, invalid.code());
    }

    @Test
    void longSymbolsAndIdsAreRefusedAndNeverEchoed() {
        String longSymbol = "A".repeat(CommandDecoder.MAX_SYMBOL_LENGTH + 1);
        Invalid symbol = (Invalid) decoder.decode("{\"type\":\"subscribe\",\"symbols\":[\"" + longSymbol + "\"]}");
        assertEquals(ErrorCode.BAD_REQUEST, symbol.code());
        assertTrue(!symbol.message().contains(longSymbol), symbol::message);
        assertInstanceOf(Subscribe.class, decoder.decode("{\"type\":\"subscribe\",\"symbols\":[\""
                + "A".repeat(CommandDecoder.MAX_SYMBOL_LENGTH) + "\"]}"));

        String longId = "i".repeat(CommandDecoder.MAX_ID_LENGTH + 1);
        Invalid id = (Invalid) decoder.decode("{\"type\":\"ping\",\"id\":\"" + longId + "\"}");
        assertNull(id.id(), "an over-long id is not echoed");
        Invalid number = (Invalid) decoder.decode("{\"type\":\"ping\",\"id\":" + "9".repeat(100) + "}");
        assertNull(number.id());
    }

    @Test
    void errorMessagesQuoteAtMostAShortCleanPieceOfTheClientsText() {
        Invalid invalid = (Invalid) decoder.decode("{\"type\":\"" + "x".repeat(500) + "\\n<script>\"}");
        assertEquals(ErrorCode.UNKNOWN_TYPE, invalid.code());
        assertTrue(invalid.message().length() < 120, invalid::message);
        assertTrue(!invalid.message().contains("\n") && !invalid.message().contains("<script>"), invalid::message);
        Invalid malformed = (Invalid) decoder.decode("{\"type\":\"ping\",}");
        assertTrue(malformed.message().startsWith("malformed JSON at line 1, column"), malformed::message);
        assertTrue(!malformed.message().contains("Exception") && !malformed.message().contains("parsson"), malformed::message);
    }

    @Test
    void willDecodeAcceptsEverythingSoDecodeCanAnswer() {
        assertTrue(decoder.willDecode("garbage"));
    }
}
