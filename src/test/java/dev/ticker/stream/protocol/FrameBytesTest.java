package dev.ticker.stream.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.ticker.market.Quote;
import jakarta.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The binary variant's payloads are the text frames' JSON as UTF-8, byte for byte. */
class FrameBytesTest {

    private static final EncodedQuote AAPL = EncodedQuote.of(new Quote("AAPL", 189_52, 189_50, 189_55, 1200, 800, 300,
            1_534_200, 189_10, 190_02, 188_71, 189_50, 2, 1, 1_763_712_000_123L));
    private static final EncodedQuote NON_ASCII = new EncodedQuote("ÄÖ", "{\"symbol\":\"ÄÖ\",\"name\":\"Café € 𝄞\"}");

    @Test
    void ticksAndSnapshotsAreTheirTextAsUtf8() {
        for (Event event : List.of(new Ticks(4, 1_763_712_000_100L, List.of(AAPL, NON_ASCII)),
                new Snapshot(3, 1_763_712_000_051L, List.of(AAPL)), new Ticks(1, 0, List.of()),
                new Ticks(Long.MAX_VALUE, Long.MIN_VALUE, List.of(NON_ASCII)), new Snapshot(-17, -1, List.of(AAPL, AAPL)))) {
            assertUtf8OfText(event);
        }
    }

    @Test
    void everyOtherFrameIsItsTextAsUtf8() {
        assertUtf8OfText(new Heartbeat(9, 1_763_712_000_000L));
        assertUtf8OfText(new Pong(Json.createValue("é"), 10, 1_763_712_000_001L));
        assertUtf8OfText(new Subscribed(Json.createValue(7), 2, 1050, List.of("AAPL"),
                List.of(new Rejection("XYZ", RejectCode.UNKNOWN_SYMBOL))));
    }

    @Test
    void aServerSentEventCarriesTheSameJsonAfterItsId() {
        for (Event event : List.of(new Ticks(4, 1_763_712_000_100L, List.of(AAPL, NON_ASCII)), new Snapshot(12, 5, List.of(AAPL)),
                new Heartbeat(9, 1_763_712_000_000L))) {
            assertEquals("id: " + event.seq() + "\ndata: " + FrameText.of(event) + "\n\n",
                    new String(FrameBytes.eventStream(event), StandardCharsets.UTF_8));
        }
    }

    @Test
    void sequenceNumbersAndTimesOfAnyLengthAreWrittenAsJavaWritesThem() {
        SplittableRandom random = new SplittableRandom(23);
        for (int i = 0; i < 10_000; i++) {
            long value = switch (i % 4) {
                case 0 -> random.nextLong();
                case 1 -> random.nextLong(1_000);
                case 2 -> -random.nextLong(1_000_000);
                default -> (long) Math.pow(10, i % 19) - (i % 8 < 4 ? 0 : 1);
            };
            byte[] out = new byte[24];
            int end = FrameBytes.putLong(value, out, 2);
            assertEquals(Long.toString(value), new String(out, 2, end - 2, StandardCharsets.US_ASCII));
            assertEquals(Long.toString(value).length(), FrameBytes.digits(value));
        }
    }

    @Test
    void aBatchIsEncodedOnceForEveryConnectionThatSendsIt() {
        QuoteBatch batch = QuoteBatch.of(List.of(AAPL, NON_ASCII));
        assertSame(batch.utf8(), batch.utf8());
        assertArrayEquals(batch.json().getBytes(StandardCharsets.UTF_8), batch.utf8());
    }

    private static void assertUtf8OfText(Event event) {
        assertEquals(FrameText.of(event), new String(FrameBytes.of(event), StandardCharsets.UTF_8));
        assertArrayEquals(FrameText.of(event).getBytes(StandardCharsets.UTF_8), FrameBytes.of(event), event::toString);
    }
}
