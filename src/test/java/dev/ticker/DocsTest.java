package dev.ticker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ticker.stream.CloseCodes;
import dev.ticker.stream.protocol.Command;
import dev.ticker.stream.protocol.ErrorCode;
import dev.ticker.stream.protocol.Event;
import dev.ticker.stream.protocol.Invalid;
import dev.ticker.stream.protocol.Limits;
import dev.ticker.stream.protocol.RejectCode;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The README and the docs say what the code does: every frame in both directions, every error and
 * rejection code, every limit in {@code welcome} and every close code the server uses is documented
 * where a client developer looks for it. (SettingsTest does the same for the settings.) A new frame,
 * code or limit fails here until the docs have it.
 */
class DocsTest {

    /** Each server frame's class and its {@code type}, as its encoder writes it. */
    private static final Map<Class<?>, String> SERVER_FRAMES = Map.ofEntries(
            Map.entry(dev.ticker.stream.protocol.Welcome.class, "welcome"),
            Map.entry(dev.ticker.stream.protocol.Subscribed.class, "subscribed"),
            Map.entry(dev.ticker.stream.protocol.Unsubscribed.class, "unsubscribed"),
            Map.entry(dev.ticker.stream.protocol.Snapshot.class, "snapshot"),
            Map.entry(dev.ticker.stream.protocol.Ticks.class, "ticks"),
            Map.entry(dev.ticker.stream.protocol.Heartbeat.class, "heartbeat"),
            Map.entry(dev.ticker.stream.protocol.Pong.class, "pong"),
            Map.entry(dev.ticker.stream.protocol.ErrorMessage.class, "error"),
            Map.entry(dev.ticker.stream.protocol.MarketState.class, "market"),
            Map.entry(dev.ticker.stream.protocol.History.class, "history"),
            Map.entry(dev.ticker.stream.protocol.Notice.class, "notice"));

    /** Each client request's class and its {@code type}, as the decoder reads it. */
    private static final Map<Class<?>, String> REQUESTS = Map.of(
            dev.ticker.stream.protocol.Subscribe.class, "subscribe",
            dev.ticker.stream.protocol.Unsubscribe.class, "unsubscribe",
            dev.ticker.stream.protocol.Ping.class, "ping",
            dev.ticker.stream.protocol.HistoryRequest.class, "history");

    @Test
    void everyServerFrameIsInTheReadmeTableAndTheProtocolDoc() throws IOException {
        assertEquals(Set.of(Event.class.getPermittedSubclasses()), SERVER_FRAMES.keySet(), "a frame class without its type here");
        String readme = section(read("README.md"), "## The protocol in short");
        String protocol = read("docs/protocol.md");
        SERVER_FRAMES.forEach((type, name) -> {
            String encoder = read("src/main/java/dev/ticker/stream/protocol/" + type.getSimpleName() + "Encoder.java");
            assertTrue(encoder.contains("Frames.write(\"" + name + "\"") || encoder.contains("Frames.withQuotes(\"" + name + "\""),
                    () -> type.getSimpleName() + "Encoder does not write type " + name);
            assertTrue(readme.contains("`" + name + "`"), () -> "README's protocol table does not name " + name);
            assertTrue(protocol.contains("`" + name + "`"), () -> "docs/protocol.md does not describe " + name);
        });
    }

    @Test
    void everyClientRequestIsInTheReadmeTableAndTheProtocolDoc() {
        Set<Class<?>> requests = Arrays.stream(Command.class.getPermittedSubclasses())
                .filter(type -> type != Invalid.class).collect(Collectors.toSet());
        assertEquals(requests, REQUESTS.keySet(), "a request class without its type here");
        String decoder = read("src/main/java/dev/ticker/stream/protocol/CommandDecoder.java");
        String readme = section(read("README.md"), "## The protocol in short");
        String protocol = read("docs/protocol.md");
        REQUESTS.values().forEach(name -> {
            assertTrue(decoder.contains("case \"" + name + "\""), () -> "CommandDecoder does not read " + name);
            assertTrue(readme.contains("`" + name + "` `{") || readme.contains("| `" + name + "` /"),
                    () -> "README's protocol table has no row for the request " + name);
            assertTrue(protocol.contains("\"type\":\"" + name + "\""), () -> "docs/protocol.md has no example of " + name);
        });
    }

    @Test
    void everyErrorAndRejectionCodeIsDocumented() {
        String readme = section(read("README.md"), "## The protocol in short");
        String protocol = read("docs/protocol.md");
        for (ErrorCode code : ErrorCode.values()) {
            // MESSAGE_TOO_BIG is never an error frame (the close is 1009); the short table skips it.
            assertTrue(code == ErrorCode.MESSAGE_TOO_BIG || readme.contains("`" + code + "`"),
                    () -> "README's protocol table does not name " + code);
            assertTrue(protocol.contains("`" + code + "`"), () -> "docs/protocol.md does not name " + code);
        }
        for (RejectCode code : RejectCode.values()) {
            assertTrue(protocol.contains("`" + code + "`"), () -> "docs/protocol.md does not name the rejection " + code);
        }
    }

    @Test
    void everyLimitInWelcomeIsExplainedInTheProtocolDoc() {
        String protocol = read("docs/protocol.md");
        for (RecordComponent limit : Limits.class.getRecordComponents()) {
            assertTrue(protocol.contains("| `limits." + limit.getName() + "` |"),
                    () -> "docs/protocol.md's table of limits has no row for " + limit.getName());
        }
    }

    @Test
    void everyCloseCodeTheServerUsesIsInTheClientsTableOfOperations() throws IllegalAccessException {
        String operations = read("docs/operations.md");
        String protocol = read("docs/protocol.md");
        for (Field field : CloseCodes.class.getFields()) {
            if (!Modifier.isStatic(field.getModifiers()) || field.getType() != int.class) {
                continue;
            }
            int code = field.getInt(null);
            assertTrue(operations.contains("\n| " + code + " |"), () -> "docs/operations.md's close code table has no row for " + code);
            assertTrue(protocol.contains(String.valueOf(code)), () -> "docs/protocol.md does not mention close code " + code);
        }
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new AssertionError("cannot read " + path + " (tests run in the project's directory)", e);
        }
    }

    /** The part of {@code text} from {@code heading} to the next heading of the same level. */
    private static String section(String text, String heading) {
        int start = text.indexOf(heading + "\n");
        assertTrue(start >= 0, () -> "no section " + heading);
        int end = text.indexOf("\n## ", start + heading.length());
        return text.substring(start, end < 0 ? text.length() : end);
    }
}
