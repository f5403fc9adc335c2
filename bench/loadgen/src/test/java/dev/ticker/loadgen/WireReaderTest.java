package dev.ticker.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireReaderTest {

    /** What the reader reported, in order. */
    private static final class Seen implements WireReader.Handler {
        final List<String> events = new ArrayList<>();

        @Override
        public void text(byte[] bytes, int offset, int length) {
            events.add("text " + new String(bytes, offset, length, StandardCharsets.UTF_8));
        }

        @Override
        public void ping(byte[] bytes, int offset, int length) {
            events.add("ping " + new String(bytes, offset, length, StandardCharsets.UTF_8));
        }

        @Override
        public void close(int code, String reason) {
            events.add("close " + code + " " + reason);
        }

        @Override
        public void broken(String why) {
            events.add("broken " + why);
        }
    }

    /** An unmasked frame as a server writes it. */
    static byte[] frame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            out.write(payload.length);
        } else if (payload.length < 65536) {
            out.write(126);
            out.write(payload.length >>> 8);
            out.write(payload.length);
        } else {
            out.write(127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) payload.length >>> shift));
            }
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Feeds {@code wire} to one reader in pieces of {@code chunk} bytes, as reads from a socket would. */
    private static List<String> feed(byte[] wire, int chunk) {
        return feed(wire, chunk, false);
    }

    /** As {@link #feed(byte[], int)}, for the binary variant where {@code binary}. */
    private static List<String> feed(byte[] wire, int chunk, boolean binary) {
        WireReader reader = new WireReader(binary);
        Seen seen = new Seen();
        ByteBuffer in = ByteBuffer.allocate(64);
        for (int at = 0; at < wire.length; ) {
            int n = Math.min(chunk, Math.min(in.remaining(), wire.length - at));
            in.put(wire, at, n);
            at += n;
            in.flip();
            int needed = reader.read(in, seen);
            in.compact();
            if (needed > in.capacity()) {
                ByteBuffer bigger = ByteBuffer.allocate(needed);
                in.flip();
                bigger.put(in);
                in = bigger;
            }
        }
        return seen.events;
    }

    @Test
    void framesOfEverySizeComeOutWholeHoweverTheReadsCutThem() {
        String small = "{\"type\":\"heartbeat\",\"seq\":1}";
        String medium = "{\"type\":\"ticks\",\"seq\":2,\"data\":[" + "x".repeat(300) + "]}";
        String large = "{\"type\":\"ticks\",\"seq\":3,\"data\":[" + "y".repeat(70_000) + "]}";
        byte[] wire = concat(frame(true, 1, text(small)), frame(true, 1, text(medium)), frame(true, 1, text(large)));
        for (int chunk : new int[] {1, 7, 64, 1000, wire.length}) {
            assertEquals(List.of("text " + small, "text " + medium, "text " + large), feed(wire, chunk), "reads of " + chunk);
        }
    }

    @Test
    void aMessageSplitIntoFramesIsAssembledWithAPingBetweenItsParts() {
        byte[] wire = concat(frame(false, 1, text("{\"type\":\"ti")), frame(true, 9, text("p1")),
                frame(false, 0, text("cks\",\"seq\"")), frame(true, 0, text(":7}")), frame(true, 1, text("{\"seq\":8}")));
        assertEquals(List.of("ping p1", "text {\"type\":\"ticks\",\"seq\":7}", "text {\"seq\":8}"), feed(wire, 5));
    }

    @Test
    void aCloseFrameEndsTheReadingWithItsCodeAndReason() {
        byte[] close = concat(new byte[] {0x03, (byte) 0xE9}, text("going away"));
        byte[] wire = concat(frame(true, 1, text("{}")), frame(true, 8, close), frame(true, 1, text("never")));
        assertEquals(List.of("text {}", "close 1001 going away"), feed(wire, 100));
        assertEquals(List.of("close 1005 "), feed(frame(true, 8, new byte[0]), 100));
    }

    @Test
    void whatNoServerMaySendBreaksTheConnection() {
        byte[] masked = {(byte) 0x81, (byte) 0x82, 1, 2, 3, 4, 5, 6};
        assertTrue(feed(masked, 100).get(0).startsWith("broken a masked frame"));
        assertTrue(feed(frame(true, 0, text("x")), 100).get(0).startsWith("broken a continuation frame outside"));
        assertTrue(feed(frame(true, 3, text("x")), 100).get(0).startsWith("broken opcode 3"));
        byte[] huge = {(byte) 0x81, 127, 0, 0, 0, 0, 0x7F, 0, 0, 0};
        assertTrue(feed(huge, 100).get(0).startsWith("broken a frame of"));
        byte[] nested = concat(frame(false, 1, text("a")), frame(true, 1, text("b")));
        assertTrue(feed(nested, 100).get(0).startsWith("broken a new message inside"));
    }

    @Test
    void binaryMessagesArePassedOverWithTheirContinuations() {
        byte[] wire = concat(frame(false, 2, text("bin")), frame(true, 0, text("ary")), frame(true, 1, text("{}")));
        assertEquals(List.of("text {}"), feed(wire, 3));
    }

    @Test
    void inTheBinaryVariantBinaryMessagesAreTheProtocolsAndATextMessageBreaksTheConnection() {
        byte[] wire = concat(frame(true, 2, text("{\"seq\":1}")), frame(false, 2, text("{\"se")), frame(true, 9, text("p")),
                frame(true, 0, text("q\":2}")));
        for (int chunk : new int[] {1, 5, wire.length}) {
            assertEquals(List.of("text {\"seq\":1}", "ping p", "text {\"seq\":2}"), feed(wire, chunk, true));
        }
        assertEquals(List.of("broken a text message in the binary variant"), feed(frame(true, 1, text("{}")), 100, true));
    }
}
