package dev.ticker.stream.protocol;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Holds frames to the machine-readable contract, {@code docs/ticker.v1.asyncapi.yaml}: every
 * server frame against {@code #/components/schemas/ServerFrame}, every client request against
 * {@code #/components/schemas/ClientRequest}, or any other schema of the document by name
 * ({@code SseClose}, {@code SseStreamInfo}, {@code HistoryResource}, ...):
 * <pre>{@code
 * FrameContract.assertServerFrame(message);       // in a test client, for every frame received
 * }</pre>
 * The document is read once, from the project's directory ({@code basedir}, which Surefire and
 * Failsafe set, else {@code user.dir} or a directory above it; {@code -Dticker.contract=FILE}
 * names another), so a test always checks against the file in the work tree and no copy can go
 * stale. Each schema is compiled once and shared, and the methods are thread-safe. A frame is
 * checked against the schema its {@code type} names (the union would say the same, slower and less
 * readably): a few microseconds for a heartbeat, about 7 per quote of a {@code ticks} frame.
 * Schemas are JSON Schema draft-07, AsyncAPI's default schema format.
 */
public final class FrameContract {

    /** The contract, relative to the project's directory. */
    public static final String DOCUMENT = "docs/ticker.v1.asyncapi.yaml";

    private static final String SCHEMAS = "#/components/schemas/";

    /** Strict JSON: no trailing content, no duplicate members; decimals kept exact. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final Path PATH = locate();
    private static final String IRI = PATH.toUri().toString();
    private static final JsonNode TREE;
    private static final SchemaRegistry REGISTRY;
    private static final Map<String, Schema> COMPILED = new ConcurrentHashMap<>();
    /** {@code type} of each frame and request to its schema's name, from the two unions' {@code oneOf}. */
    private static final Map<String, String> SERVER_FRAMES;
    private static final Map<String, String> CLIENT_REQUESTS;

    static {
        String text;
        try {
            text = Files.readString(PATH);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the contract " + PATH, e);
        }
        TREE = new YAMLMapper().readTree(text);
        // Only components.schemas, at the same JSON pointers: the document's root is no schema,
        // and the validator would read AsyncAPI's members there (its "id") as schema keywords.
        String schemas = JSON.writeValueAsString(JSON.createObjectNode()
                .set("components", JSON.createObjectNode().set("schemas", TREE.at("/components/schemas"))));
        REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
                builder -> builder.schemas(Map.of(IRI, schemas)));
        SERVER_FRAMES = byType("ServerFrame");
        CLIENT_REQUESTS = byType("ClientRequest");
    }

    private FrameContract() {
    }

    /** What is wrong with {@code json} as a server frame: empty if it keeps the contract. */
    public static List<String> serverFrameErrors(String json) {
        return errorsByType(json, "ServerFrame", SERVER_FRAMES);
    }

    /** A binary message's payload ({@code ticker.v1.binary}): strict UTF-8 of a server frame. */
    public static List<String> serverFrameErrors(byte[] utf8) {
        try {
            return serverFrameErrors(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString());
        } catch (CharacterCodingException e) {
            return List.of("not UTF-8: " + e);
        }
    }

    /** What is wrong with {@code json} as a client request: empty if the contract allows it. */
    public static List<String> clientRequestErrors(String json) {
        return errorsByType(json, "ClientRequest", CLIENT_REQUESTS);
    }

    /**
     * What is wrong with {@code json} as an instance of the document's schema {@code schema}
     * ({@code #/components/schemas/NAME}): empty if nothing.
     */
    public static List<String> errors(String schema, String json) {
        List<String> errors = new ArrayList<>();
        JsonNode node = parse(json, errors);
        return node == null ? errors : errors(schema, node);
    }

    /** Throws an {@link AssertionError} naming every fault if {@code json} is no valid server frame. */
    public static void assertServerFrame(String json) {
        fail("server frame", serverFrameErrors(json), json);
    }

    /** As {@link #assertServerFrame(String)}, for a binary message's payload. */
    public static void assertServerFrame(byte[] utf8) {
        fail("server frame", serverFrameErrors(utf8), new String(utf8, StandardCharsets.UTF_8));
    }

    /** Throws an {@link AssertionError} naming every fault if {@code json} is no valid client request. */
    public static void assertClientRequest(String json) {
        fail("client request", clientRequestErrors(json), json);
    }

    /** Throws an {@link AssertionError} naming every fault if {@code json} breaks {@code schema}. */
    public static void assertValid(String schema, String json) {
        fail(schema, errors(schema, json), json);
    }

    /**
     * Whether {@code frame} refuses a request as malformed ({@code error} with BAD_REQUEST or
     * UNKNOWN_TYPE): only the request decoder sends these, so a client whose every request kept the
     * contract must never get one.
     */
    public static boolean isRefusal(jakarta.json.JsonObject frame) {
        return "error".equals(frame.getString("type", ""))
                && (frame.getString("code", "").equals("BAD_REQUEST") || frame.getString("code", "").equals("UNKNOWN_TYPE"));
    }

    /**
     * A client's verdict at its close: fails naming every frame it received that broke the
     * contract, and every refusal it got when none of its requests was outside the contract (the
     * server must accept what the contract allows).
     */
    public static void assertKept(List<String> frameProblems, int requestsOutsideContract, List<String> refusals) {
        if (!frameProblems.isEmpty()) {
            throw new AssertionError("frames that break " + DOCUMENT + ": " + frameProblems);
        }
        if (requestsOutsideContract == 0 && !refusals.isEmpty()) {
            throw new AssertionError("the server refused requests that " + DOCUMENT + " allows: " + refusals);
        }
    }

    /** The whole contract as a tree, for tests of the document itself. */
    public static JsonNode document() {
        return TREE;
    }

    /** Where the contract was read from. */
    public static Path path() {
        return PATH;
    }

    /**
     * The frame's own schema when its {@code type} names one, else the union's verdict in one line:
     * the union says the same, less readably, listing every alternative's complaints.
     */
    private static List<String> errorsByType(String json, String union, Map<String, String> byType) {
        List<String> errors = new ArrayList<>();
        JsonNode node = parse(json, errors);
        if (node == null) {
            return errors;
        }
        JsonNode type = node.get("type");
        String schema = type != null && type.isString() ? byType.get(type.stringValue()) : null;
        if (schema != null) {
            return errors(schema, node);
        }
        if (errors(union, node).isEmpty()) {
            return errors;
        }
        return List.of(node.isObject() && type != null && type.isString()
                ? "unknown type '" + type.stringValue() + "'; " + union + " has " + byType.keySet()
                : "not an object with a string 'type'; " + union + " has " + byType.keySet());
    }

    private static List<String> errors(String schema, JsonNode node) {
        List<String> errors = new ArrayList<>();
        for (Error error : compiled(schema).validate(node)) {
            errors.add(error.toString());
        }
        return errors;
    }

    /** The one JSON value {@code json} holds, or null (and why, into {@code errors}). */
    private static JsonNode parse(String json, List<String> errors) {
        try {
            JsonNode node = JSON.readTree(json);
            if (node != null && !node.isMissingNode()) {
                return node;
            }
            errors.add("not JSON: empty");
        } catch (JacksonException e) {
            errors.add("not one JSON value: " + e.getOriginalMessage());
        }
        return null;
    }

    private static Schema compiled(String name) {
        return COMPILED.computeIfAbsent(name, n -> {
            if (TREE.at("/components/schemas/" + n).isMissingNode()) {
                throw new IllegalArgumentException("the contract has no schema " + n);
            }
            Schema schema = REGISTRY.getSchema(SchemaLocation.of(IRI + SCHEMAS + n));
            schema.initializeValidators();        // a $ref that resolves nowhere fails here, not mid-test
            return schema;
        });
    }

    private static Map<String, String> byType(String union) {
        Map<String, String> byType = new LinkedHashMap<>();
        for (JsonNode alternative : TREE.at("/components/schemas/" + union + "/oneOf")) {
            String ref = alternative.get("$ref").stringValue();
            String name = ref.substring(ref.lastIndexOf('/') + 1);
            byType.put(TREE.at("/components/schemas/" + name + "/properties/type/const").stringValue(), name);
        }
        if (byType.isEmpty()) {
            throw new IllegalStateException(PATH + " has no " + union + " union");
        }
        return Collections.unmodifiableMap(byType);
    }

    private static void fail(String what, List<String> errors, String json) {
        if (!errors.isEmpty()) {
            String shown = json.length() > 600 ? json.substring(0, 600) + "...(" + json.length() + " chars)" : json;
            throw new AssertionError("not a valid " + what + " by " + DOCUMENT + ":\n  " + String.join("\n  ", errors)
                    + "\n  in: " + shown);
        }
    }

    private static Path locate() {
        String named = System.getProperty("ticker.contract");
        if (named != null) {
            return Path.of(named).toAbsolutePath();
        }
        List<Path> tried = new ArrayList<>();
        String basedir = System.getProperty("basedir");
        if (basedir != null) {
            tried.add(Path.of(basedir));
        }
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            tried.add(dir);
        }
        for (Path dir : tried) {
            Path candidate = dir.resolve(DOCUMENT);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no " + DOCUMENT + " in " + tried + "; name it with -Dticker.contract=FILE");
    }
}
