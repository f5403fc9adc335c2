package dev.ticker.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** One result from the load generator processes of a run: counts summed, close codes of every process kept. */
class MergeTest {

    private static String histogram(long... values) {
        Histogram h = new Histogram(3_600_000L, 3);
        for (long v : values) {
            h.recordValue(v);
        }
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    }

    private static JsonObject part(long quotes, long closes, JsonObjectBuilder codes) {
        JsonObjectBuilder part = Json.createObjectBuilder()
                .add("quoteLatencyHistogram", histogram(40, 60)).add("handshakeHistogram", histogram(5))
                .add("quotes", quotes).add("loadgenCpuCores", 0.1).add("durationSeconds", 20)
                .add("unexpectedCloses", closes).add("unexpectedCloseCodes", codes);
        for (String key : List.of("connected", "handshakesFailed", "handshakesPerSecond", "quotesPerSecond",
                "framesPerSecond", "seqGaps", "errorsReceived", "loadgenCpuCores", "connectedAtEnd", "frames")) {
            if (!key.equals("loadgenCpuCores")) {
                part.add(key, 10);
            }
        }
        return part.build();
    }

    @Test
    void closeCodesOfEveryProcessAreKeptAndSummed() throws Exception {
        JsonObject merged = Benchmark.merge(List.of(
                part(1000, 0, Json.createObjectBuilder()),
                part(2000, 189, Json.createObjectBuilder().add("1006", 150).add("1001", 39)),
                part(500, 2, Json.createObjectBuilder().add("1006", 2))), -1, -1);
        assertEquals(191, merged.getJsonNumber("unexpectedCloses").longValue());
        assertEquals(Json.createObjectBuilder().add("1001", 39).add("1006", 152).build(),
                merged.getJsonObject("unexpectedCloseCodes"));
        assertEquals(3500, merged.getJsonNumber("quotes").longValue());
        assertEquals(30, merged.getJsonNumber("connected").longValue());
    }
}
