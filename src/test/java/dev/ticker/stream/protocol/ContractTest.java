package dev.ticker.stream.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.ticker.history.Bars;
import dev.ticker.market.Instrument;
import dev.ticker.market.MarketStatus;
import dev.ticker.market.Quote;
import jakarta.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * docs/ticker.v1.asyncapi.yaml against the code: what every encoder writes (as text, as the binary
 * variant's bytes and as a Server-Sent Event) is a valid {@code ServerFrame}, what the decoder
 * accepts is a valid {@code ClientRequest}, and frames that break the protocol are rejected, so
 * that a contract that says too little fails here too. Also checks the document itself: its
 * references resolve, operations use their channels' messages, and its examples keep it.
 */
class ContractTest {

    private static final Quote QUOTE = new Quote("AAPL", 189_52, 189_50, 189_55, 1200, 800, 300, 1_534_200,
            189_10, 190_02, 188_71, 189_50, 2, 1, 1_763_712_000_123L);
    private static final Quote DOWN = new Quote("BRK.B", 5, 4, 6, 100, 100, 100, 100, 10, 10, 5, 10, -5, -5000, 1);
    private static final Limits LIMITS = new Limits(200, 4096, 20, 25, 30_000, 31_000, 9_000, 10_000, 100, 50, 193_536);
    private static final MarketStatus OPEN = new MarketStatus(true, 3, 1000, 391_000, 451_000, 60);
    private static final MarketStatus CLOSED = new MarketStatus(false, 3, 1000, 391_000, 451_000, 60);
    private static final Build BUILD = new Build("1.0.0", "2aee8a1", false);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A valid notice, as protocol.md shows it. */
    static final String NOTICE = "{\"type\":\"notice\",\"seq\":7,\"ts\":1763712000000,\"reason\":\"draining\","
            + "\"closesAt\":1763712004200,\"drainMs\":5000,\"message\":\"this server is going away; connect again\"}";

    /** At least one of every kind of frame the server sends, as EncodersTest builds them and more. */
    static List<Event> frames() {
        Instruments instruments = new Instruments(List.of(new Instrument("AAPL", "Apple", 189_50, 0.2, 0.05),
                new Instrument("BRK.B", "Berkshire Hathaway B", 410_00, 0.2, 0.05)));
        Bars bars = new Bars("AAPL", 3, 1_763_713_350_000L, 1_763_713_740_000L, 1000.0, new int[] {0, 1},
                new int[] {189_10, 189_42, 189_05, 189_40, 48_200, 189_40, 189_51, 189_22, 189_30, 3_100});
        Bars none = new Bars("AAPL", -1, 1_763_712_000_000L, 1_763_712_000_000L, 1000.0, new int[0], new int[0]);
        EncodedQuote quote = EncodedQuote.of(QUOTE);
        return List.of(
                new Welcome(1, 1000, "ticker.v1", 10_000, LIMITS, instruments, "", OPEN, BUILD),
                new Welcome(1, 1000, "ticker.v1", 10_000, LIMITS, instruments, "node-2", null, Build.UNKNOWN),
                new Welcome(1, 1000, "ticker.v1", 100, LIMITS, instruments, "a.b_c:d-9", CLOSED,
                        new Build("1.0.0-SNAPSHOT", "2aee8a1f", true)),
                new Subscribed(Json.createValue(7), 2, 1050, List.of("AAPL"),
                        List.of(new Rejection("XYZ", RejectCode.UNKNOWN_SYMBOL))),
                new Subscribed(Json.createValue("ü\""), 2, 1050, List.of(), List.of(new Rejection("A\"B", RejectCode.UNKNOWN_SYMBOL),
                        new Rejection("", RejectCode.UNKNOWN_SYMBOL), new Rejection("SS".repeat(32), RejectCode.UNKNOWN_SYMBOL))),
                new Subscribed(Json.createValue(new BigDecimal("1e3")), 2, 1050, List.of("AAPL", "BRK.B"),
                        List.of(new Rejection("*", RejectCode.SYMBOL_LIMIT))),
                new Subscribed(null, 2, 1050, List.of("AAPL"), List.of()),
                new Unsubscribed(null, 9, 3000, List.of()),
                new Unsubscribed(Json.createValue("u1"), 9, 3000, List.of("BRK.B")),
                new Snapshot(3, 1051, List.of(quote)),
                new Ticks(4, 1100, List.of(quote, EncodedQuote.of(DOWN))),
                new MarketState(812, 391_000, CLOSED),
                new MarketState(813, 451_000, new MarketStatus(true, 4, 451_000, 841_000, 901_000, 0.5)),
                new History(Json.createValue(7), 5, 1_763_712_100_000L, bars),
                new History(null, 6, 1_763_712_100_000L, none),
                new Heartbeat(12, 5),
                new Pong(Json.createValue("p"), 13, 6),
                new Pong(null, 13, 6),
                new ErrorMessage(Json.createValue(5), 14, 7, ErrorCode.BAD_REQUEST, "say \"why\""),
                new ErrorMessage(null, 14, 7, ErrorCode.BAD_REQUEST, "quote \" backslash \\ newline \n nul \u0000 é ✓ 😀 </script>"),
                new ErrorMessage(Json.createValue(9), 15, 8, ErrorCode.UNKNOWN_TYPE, "unknown type 'x'"),
                new ErrorMessage(null, 16, 9, ErrorCode.UNKNOWN_SYMBOL, "unknown symbol 'XYZ'"),
                new ErrorMessage(null, 17, 10, ErrorCode.RATE_LIMITED, "more than 20 requests per second; request dropped"),
                new Notice(7, 1_763_712_000_000L, Notice.DRAINING, 1_763_712_004_200L, 5000, "this server is going away; connect again"),
                new Notice(8, 5, Notice.DRAINING, 5, 0, ""));
    }

    @Test
    void everyKindOfEventHasASampleAndEveryFrameOfTheContractIsChecked() {
        Set<Class<?>> sampled = frames().stream().map(Object::getClass).collect(Collectors.toSet());
        for (Class<?> kind : Event.class.getPermittedSubclasses()) {
            assertTrue(sampled.contains(kind), "no sample of " + kind.getSimpleName() + " in ContractTest.frames()");
        }
        Set<String> types = frames().stream().map(e -> JSON.readTree(FrameText.of(e)).get("type").stringValue())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(unionTypes("ServerFrame"), types, "frame types the contract knows vs. the ones checked here");
    }

    @Test
    void everyEncodedFrameKeepsTheContract() {
        for (Event event : frames()) {
            String text = FrameText.of(event);
            FrameContract.assertServerFrame(text);
            assertEquals(List.of(), FrameContract.errors("ServerFrame", text), "the union agrees: " + text);
        }
    }

    @Test
    void theBinaryVariantsPayloadsKeepTheContract() {
        for (Event event : frames()) {
            FrameContract.assertServerFrame(FrameBytes.of(event));
        }
    }

    @Test
    void everyServerSentEventCarriesAValidFrameUnderItsSeq() {
        for (Event event : frames()) {
            String sse = new String(FrameBytes.eventStream(event), StandardCharsets.UTF_8);
            String head = "id: " + event.seq() + "\ndata: ";
            assertTrue(sse.startsWith(head) && sse.endsWith("\n\n"), sse);
            String data = sse.substring(head.length(), sse.length() - 2);
            assertFalse(data.contains("\n"), "one data line: " + sse);
            FrameContract.assertServerFrame(data);
        }
    }

    @Test
    void theQuoteEncodersOutputIsAQuote() {
        FrameContract.assertValid("Quote", new QuoteEncoder().encode(QUOTE));
        FrameContract.assertValid("Quote", QuoteEncoder.toJson(DOWN));
    }

    @Test
    void aNoticeKeepsTheContract() {
        FrameContract.assertServerFrame(NOTICE);
        FrameContract.assertServerFrame(NOTICE.replace("\"drainMs\":5000", "\"drainMs\":0"));
        assertEquals(List.of(), FrameContract.errors("ServerFrame", NOTICE));
    }

    /** Frames that break the protocol, and a word each error list must contain. */
    static Stream<Arguments> badServerFrames() {
        String quote = QuoteEncoder.toJson(QUOTE);
        String welcome = first(Welcome.class);
        String history = first(History.class);
        return Stream.of(
                Arguments.of("{\"type\":\"heartbeat\",\"ts\":5}", "seq"),
                Arguments.of("{\"type\":\"heartbeat\",\"seq\":0,\"ts\":5}", "seq"),
                Arguments.of("{\"type\":\"heartbeat\",\"seq\":\"12\",\"ts\":5}", "seq"),
                Arguments.of("{\"type\":\"heartbeat\",\"seq\":12,\"ts\":-1}", "ts"),
                Arguments.of("{\"type\":\"heartbeat\",\"seq\":12,\"ts\":5,\"extra\":1}", "extra"),
                Arguments.of("{\"type\":\"heartbeat\",\"seq\":1,\"seq\":2,\"ts\":5}", "seq"),
                Arguments.of("{\"type\":\"quote\",\"seq\":1,\"ts\":5}", "unknown type"),
                Arguments.of("{\"type\":7,\"seq\":1,\"ts\":5}", "type"),
                Arguments.of("{\"seq\":1,\"ts\":5}", "type"),
                Arguments.of("[{\"type\":\"heartbeat\",\"seq\":1,\"ts\":5}]", "object"),
                Arguments.of("{\"type\":\"heartbeat\",\"seq\":1,\"ts\":5", "JSON"),
                Arguments.of("{\"type\":\"heartbeat\",\"seq\":1,\"ts\":5} {}", "JSON"),
                Arguments.of("", "JSON"),
                Arguments.of(ticks(quote.replace("\"price\":189.52", "\"price\":\"189.52\"")), "price"),
                Arguments.of(ticks(quote.replace("\"price\":189.52", "\"price\":189.525")), "price"),
                Arguments.of(ticks(quote.replace("\"price\":189.52", "\"price\":0.00")), "price"),
                Arguments.of(ticks(quote.replace("\"volume\":1534200", "\"volume\":-1")), "volume"),
                Arguments.of(ticks(quote.replace("\"bidSize\":1200", "\"bidSize\":12.5")), "bidSize"),
                Arguments.of(ticks(quote.replace(",\"ts\":1763712000123", "")), "ts"),
                Arguments.of(ticks(quote.replace("\"AAPL\"", "\"aapl\"")), "symbol"),
                Arguments.of("{\"type\":\"ticks\",\"seq\":4,\"ts\":1100,\"data\":[]}", "data"),
                Arguments.of("{\"type\":\"snapshot\",\"id\":1,\"seq\":3,\"ts\":1051,\"data\":[" + quote + "]}", "id"),
                Arguments.of(welcome.replace("\"seq\":1,", "\"seq\":2,"), "seq"),
                Arguments.of(welcome.replace("\"build\":{\"version\":\"1.0.0\",\"commit\":\"2aee8a1\",\"dirty\":false},", ""), "build"),
                Arguments.of(welcome.replace("\"commit\":\"2aee8a1\"", "\"commit\":\"HEAD\""), "commit"),
                Arguments.of(welcome.replace("\"dirty\":false", "\"dirty\":\"false\""), "dirty"),
                Arguments.of(welcome.replace("ticker.v1", "ticker.v2"), "protocol"),
                Arguments.of(welcome.replace("\"currency\":\"USD\"", "\"currency\":\"EUR\""), "currency"),
                Arguments.of(welcome.replace("\"state\":\"open\"", "\"state\":\"halted\""), "state"),
                Arguments.of("{\"type\":\"subscribed\",\"id\":7,\"seq\":2,\"ts\":1050,\"symbols\":[\"AAPL\"]}", "rejected"),
                Arguments.of("{\"type\":\"subscribed\",\"seq\":2,\"ts\":1050,\"symbols\":[\"AAPL\",\"AAPL\"],\"rejected\":[]}", "symbols"),
                Arguments.of("{\"type\":\"subscribed\",\"seq\":2,\"ts\":1050,\"symbols\":[],"
                        + "\"rejected\":[{\"symbol\":\"*\",\"code\":\"UNKNOWN_SYMBOL\"}]}", "code"),
                Arguments.of("{\"type\":\"subscribed\",\"seq\":2,\"ts\":1050,\"symbols\":[],"
                        + "\"rejected\":[{\"symbol\":\"XYZ\",\"code\":\"NOPE\"}]}", "code"),
                Arguments.of("{\"type\":\"pong\",\"id\":{\"a\":1},\"seq\":13,\"ts\":6}", "id"),
                Arguments.of("{\"type\":\"pong\",\"id\":\"" + "i".repeat(65) + "\",\"seq\":13,\"ts\":6}", "id"),
                Arguments.of("{\"type\":\"error\",\"seq\":14,\"ts\":7,\"code\":\"MESSAGE_TOO_BIG\",\"message\":\"x\"}", "code"),
                Arguments.of("{\"type\":\"error\",\"seq\":14,\"ts\":7,\"code\":\"BAD_REQUEST\"}", "message"),
                Arguments.of(history.replace(",3100]", "]"), "bars"),
                Arguments.of(history.replace(",3100]", ",3100.5]"), "bars"),
                Arguments.of(history.replace("[1763713350000,", "[\"1763713350000\","), "bars"),
                Arguments.of(history.replace("\"columns\":[\"t\",", "\"columns\":[\"time\","), "columns"),
                Arguments.of(NOTICE.replace("draining", "maintenance"), "reason"),
                Arguments.of(NOTICE.replace(",\"closesAt\":1763712004200", ""), "closesAt"),
                Arguments.of(NOTICE.replace("\"drainMs\":5000", "\"drainMs\":-1"), "drainMs"),
                Arguments.of(NOTICE.replace("\"drainMs\":5000", "\"drainMs\":\"5s\""), "drainMs"));
    }

    @ParameterizedTest
    @MethodSource("badServerFrames")
    void framesThatBreakTheProtocolAreRejected(String frame, String named) {
        List<String> errors = FrameContract.serverFrameErrors(frame);
        assertFalse(errors.isEmpty(), "accepted: " + frame);
        assertTrue(errors.stream().anyMatch(e -> e.contains(named)), () -> "no error names " + named + ": " + errors);
        if (!errors.get(0).startsWith("not ")) {
            assertFalse(FrameContract.errors("ServerFrame", frame).isEmpty(), "the union accepts it: " + frame);
        }
        AssertionError failure = assertThrows(AssertionError.class, () -> FrameContract.assertServerFrame(frame));
        assertTrue(failure.getMessage().contains(FrameContract.DOCUMENT), failure::getMessage);
    }

    @Test
    void aBinaryPayloadMustBeUtf8() {
        byte[] frame = "{\"type\":\"error\",\"seq\":14,\"ts\":7,\"code\":\"BAD_REQUEST\",\"message\":\"é\"}"
                .getBytes(StandardCharsets.UTF_8);
        FrameContract.assertServerFrame(frame);
        frame[frame.length - 4] = (byte) 0xff;
        assertThrows(AssertionError.class, () -> FrameContract.assertServerFrame(frame));
    }

    /** Requests the decoder accepts (CommandDecoderTest's, and the edges of its limits). */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"subscribe\",\"id\":7,\"symbols\":[\"AAPL\",\"msft \"],\"snapshot\":false}",
            "{\"type\":\"subscribe\",\"symbols\":[\"*\"]}",
            "{\"type\":\"subscribe\",\"id\":1,\"symbols\":[\"AAPL\",\"*\"],\"snapshot\":true,\"traceId\":\"x\"}",
            "{\"type\":\"subscribe\",\"symbols\":[\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\" \"]}",
            "{\"type\":\"unsubscribe\",\"id\":\"u1\",\"symbols\":[\"AAPL\"]}",
            "{\"type\":\"unsubscribe\",\"symbols\":[\"*\"]}",
            "{\"type\":\"ping\",\"id\":42}",
            "{\"type\":\"ping\",\"id\":1e3}",
            "{\"type\":\"ping\",\"id\":-0.5}",
            "{\"type\":\"ping\"}",
            "{\"type\":\"ping\",\"id\":\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}",
            "{\"type\":\"history\",\"id\":7,\"symbol\":\" aapl\"}",
            "{\"type\":\"history\",\"symbol\":\"MSFT\",\"session\":\"current\"}",
            "{\"type\":\"history\",\"symbol\":\"MSFT\",\"session\":\"previous\"}",
    })
    void requestsTheDecoderAcceptsKeepTheContract(String request) {
        Command command = new CommandDecoder(4096).decode(request);
        assertFalse(command instanceof Invalid, () -> request + " decoded to " + command);
        FrameContract.assertClientRequest(request);
        assertEquals(List.of(), FrameContract.errors("ClientRequest", request));
    }

    /**
     * Requests the decoder refuses (CommandDecoderTest's) are outside the contract too. Where JSON
     * Schema cannot follow the decoder, it is looser: a number {@code id} over 64 characters of
     * text, a string counted in UTF-16 units rather than code points, and the frame's byte size.
     */
    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"subscribe\",",
            "not json at all",
            "",
            "[1,2,3]",
            "\"ping\"",
            "{\"id\":1}",
            "{\"type\":7}",
            "{\"type\":\"subscribe\"}",
            "{\"type\":\"subscribe\",\"symbols\":\"AAPL\"}",
            "{\"type\":\"subscribe\",\"symbols\":[]}",
            "{\"type\":\"subscribe\",\"symbols\":[\"AAPL\",3]}",
            "{\"type\":\"subscribe\",\"symbols\":[\"AAPL\"],\"snapshot\":\"yes\"}",
            "{\"type\":\"subscribe\",\"symbols\":[\"AAPL\"],\"snapshot\":null}",
            "{\"type\":\"subscribe\",\"symbols\":[\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"]}",
            "{\"type\":\"unsubscribe\",\"symbols\":null}",
            "{\"type\":\"ping\",\"id\":{\"a\":1}}",
            "{\"type\":\"ping\",\"id\":\"iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii\"}",
            "{\"type\":\"ping\"} trailing",
            "{\"type\":\"history\"}",
            "{\"type\":\"history\",\"symbol\":7}",
            "{\"type\":\"history\",\"symbol\":\"\"}",
            "{\"type\":\"history\",\"symbol\":\"  \"}",
            "{\"type\":\"history\",\"symbol\":[\"AAPL\"]}",
            "{\"type\":\"history\",\"symbol\":\"AAPL\",\"session\":\"yesterday\"}",
            "{\"type\":\"history\",\"symbol\":\"AAPL\",\"session\":1}",
            "{\"type\":\"history\",\"symbol\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}",
            "{\"type\":\"launch\"}",
            "{\"type\":\"PING\"}",
    })
    void requestsTheDecoderRefusesAreOutsideTheContract(String request) {
        assertInstanceOf(Invalid.class, new CommandDecoder(4096).decode(request));
        assertFalse(FrameContract.clientRequestErrors(request).isEmpty(), "the contract accepts " + request);
        assertThrows(AssertionError.class, () -> FrameContract.assertClientRequest(request));
    }

    @Test
    void theDocumentIsAsyncApi3AndItsReferencesResolve() {
        JsonNode doc = FrameContract.document();
        assertEquals("3.0.0", doc.path("asyncapi").stringValue());
        assertFalse(doc.at("/info/title").asString("").isBlank(), "info.title");
        assertFalse(doc.at("/info/version").asString("").isBlank(), "info.version");
        for (String section : List.of("channels", "operations", "components")) {
            assertTrue(doc.path(section).isObject() && !doc.path(section).isEmpty(), section);
        }
        List<String> unresolved = new ArrayList<>();
        Set<String> referenced = new HashSet<>();
        references(doc, "", (at, ref) -> {
            referenced.add(ref);
            if (!ref.startsWith("#/") || doc.at(ref.substring(1)).isMissingNode()) {
                unresolved.add(at + " -> " + ref);
            }
        });
        assertEquals(List.of(), unresolved, "references that resolve nowhere");
        Set<String> entryPoints = Set.of("ServerFrame", "ClientRequest", "HistoryResource", "HttpApiError");
        for (String schema : doc.at("/components/schemas").propertyNames()) {
            assertTrue(entryPoints.contains(schema) || referenced.contains("#/components/schemas/" + schema),
                    "schema " + schema + " is used nowhere");
        }
    }

    @Test
    void operationsUseTheirChannelsMessages() {
        JsonNode doc = FrameContract.document();
        for (Map.Entry<String, JsonNode> operation : doc.path("operations").properties()) {
            String channel = operation.getValue().at("/channel/$ref").stringValue();
            assertTrue(channel.startsWith("#/channels/"), operation.getKey());
            for (JsonNode message : operation.getValue().path("messages")) {
                assertTrue(message.path("$ref").stringValue().startsWith(channel + "/messages/"),
                        operation.getKey() + ": " + message + " is not a message of " + channel);
            }
            JsonNode reply = operation.getValue().path("reply");
            String replyChannel = reply.at("/channel/$ref").asString(channel);
            for (JsonNode message : reply.path("messages")) {
                assertTrue(message.path("$ref").stringValue().startsWith(replyChannel + "/messages/"),
                        operation.getKey() + " reply: " + message + " is not a message of " + replyChannel);
            }
        }
        for (Map.Entry<String, JsonNode> channel : doc.path("channels").properties()) {
            for (Map.Entry<String, JsonNode> message : channel.getValue().path("messages").properties()) {
                assertTrue(message.getValue().path("$ref").stringValue().startsWith("#/components/messages/"),
                        channel.getKey() + "." + message.getKey());
            }
        }
    }

    @Test
    void everyFrameAndRequestIsInEveryBindingThatCarriesIt() {
        JsonNode doc = FrameContract.document();
        for (String frame : unionSchemas("ServerFrame")) {
            for (String channel : List.of("quotes", "quotesBinary", "sseStream")) {
                assertTrue(payloads(doc, channel).contains(frame), frame + " is not a message of channel " + channel);
            }
        }
        for (String request : unionSchemas("ClientRequest")) {
            for (String channel : List.of("quotes", "quotesBinary", "sseControl")) {
                assertTrue(payloads(doc, channel).contains(request), request + " is not a message of channel " + channel);
            }
        }
    }

    @Test
    void everyExampleKeepsItsMessagesSchemas() {
        JsonNode messages = FrameContract.document().at("/components/messages");
        int checked = 0;
        for (Map.Entry<String, JsonNode> message : messages.properties()) {
            for (JsonNode example : message.getValue().path("examples")) {
                for (String part : List.of("payload", "headers")) {
                    if (example.has(part)) {
                        String schema = schemaName(message.getValue().at("/" + part + "/$ref").stringValue());
                        String json = JSON.writeValueAsString(example.get(part));
                        assertEquals(List.of(), FrameContract.errors(schema, json),
                                message.getKey() + " example " + example.path("name").asString() + " " + part);
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 20, "examples checked: " + checked);
    }

    /**
     * The whole document against the official AsyncAPI 3.0.0 JSON Schema: the copy of
     * {@code schemas/3.0.0.json} from the npm package {@code @asyncapi/specs} kept in
     * {@code src/test/resources/asyncapi}, or another given with {@code -Dasyncapi.schema=PATH}.
     */
    @Test
    void theOfficialAsyncApiSchemaAcceptsTheDocument() throws IOException {
        String official = System.getProperty("asyncapi.schema");
        String text;
        if (official != null) {
            text = Files.readString(Path.of(official));
        } else {
            try (InputStream in = ContractTest.class.getResourceAsStream("/asyncapi/3.0.0.json")) {
                assertNotNull(in, "src/test/resources/asyncapi/3.0.0.json is missing");
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7).getSchema(text, InputFormat.JSON);
        assertEquals(List.of(), schema.validate(Files.readString(FrameContract.path()), InputFormat.YAML).stream()
                .map(Object::toString).toList());
    }

    /** The text of the first sample of {@code kind}. */
    private static String first(Class<? extends Event> kind) {
        return FrameText.of(frames().stream().filter(kind::isInstance).findFirst().orElseThrow());
    }

    private static String ticks(String quote) {
        return "{\"type\":\"ticks\",\"seq\":4,\"ts\":1100,\"data\":[" + quote + "]}";
    }

    private static List<String> unionSchemas(String union) {
        List<String> names = new ArrayList<>();
        for (JsonNode alternative : FrameContract.document().at("/components/schemas/" + union + "/oneOf")) {
            names.add(schemaName(alternative.path("$ref").stringValue()));
        }
        return names;
    }

    private static Set<String> unionTypes(String union) {
        Set<String> types = new TreeSet<>();
        for (String schema : unionSchemas(union)) {
            types.add(FrameContract.document().at("/components/schemas/" + schema + "/properties/type/const").stringValue());
        }
        return types;
    }

    /** The payload schemas of a channel's messages. */
    private static Set<String> payloads(JsonNode doc, String channel) {
        Set<String> schemas = new HashSet<>();
        for (JsonNode message : doc.at("/channels/" + channel + "/messages")) {
            schemas.add(schemaName(doc.at(message.path("$ref").stringValue().substring(1) + "/payload/$ref").asString("")));
        }
        return schemas;
    }

    private static String schemaName(String ref) {
        assertTrue(ref != null && ref.startsWith("#/components/schemas/"), "not a schema reference: " + ref);
        return ref.substring("#/components/schemas/".length());
    }

    private interface RefVisitor {
        void visit(String at, String ref);
    }

    /** Every {@code $ref}, and every {@code schema} named by text in an {@code x-} extension. */
    private static void references(JsonNode node, String at, RefVisitor visitor) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                String path = at + "/" + member.getKey();
                if ((member.getKey().equals("$ref") || member.getKey().equals("schema") && at.contains("/x-"))
                        && member.getValue().isString()) {
                    visitor.visit(path, member.getValue().stringValue());
                } else {
                    references(member.getValue(), path, visitor);
                }
            }
        } else if (node.isArray()) {
            int i = 0;
            for (JsonNode element : node) {
                references(element, at + "/" + i++, visitor);
            }
        }
    }
}
