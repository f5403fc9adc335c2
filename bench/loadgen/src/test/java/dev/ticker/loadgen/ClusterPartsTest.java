package dev.ticker.loadgen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterPartsTest {

    private static StreamReaders.Resp resp(String text) {
        return new StreamReaders.Resp(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anXreadReplyYieldsItsEntryIdsAndSkipsTheLongQuotes() throws IOException {
        String quotes = "x".repeat(100);
        String reply = "*1\r\n*2\r\n$12\r\n{ticker}:log\r\n*2\r\n"
                + "*2\r\n$3\r\n5-0\r\n*4\r\n$1\r\ne\r\n$1\r\n1\r\n$1\r\nq\r\n$100\r\n" + quotes + "\r\n"
                + "*2\r\n$3\r\n9-0\r\n*0\r\n";
        StreamReaders.Resp in = resp(reply);
        List<?> streams = (List<?>) in.read();
        List<?> entries = (List<?>) ((List<?>) streams.get(0)).get(1);
        assertEquals(2, entries.size());
        List<?> first = (List<?>) entries.get(0);
        assertEquals("5-0", first.get(0));
        assertEquals(List.of("e", "1", "q"), ((List<?>) first.get(1)).subList(0, 3));
        assertNull(((List<?>) first.get(1)).get(3), "a bulk string over KEEP bytes is skipped");
        assertEquals("9-0", ((List<?>) entries.get(1)).get(0));
        assertEquals(reply.length(), in.takeCount(), "every byte counted once");
        assertEquals(0, in.takeCount());
    }

    @Test
    void aTimedOutXreadIsANullArrayAndAnErrorThrows() throws IOException {
        StreamReaders.Resp in = resp("*-1\r\n:42\r\n+OK\r\n-ERR wrong type\r\n");
        assertNull(in.read());
        assertEquals(42L, in.read());
        assertEquals("OK", in.read());
        IOException error = assertThrows(IOException.class, in::read);
        assertEquals("Redis answered ERR wrong type", error.getMessage());
    }

    @Test
    void aCommandIsAnArrayOfBulkStrings() {
        assertEquals("*3\r\n$5\r\nXREAD\r\n$5\r\nBLOCK\r\n$1\r\n$\r\n",
                new String(StreamReaders.Resp.command("XREAD", "BLOCK", "$"), StandardCharsets.UTF_8));
    }

    @Test
    void thePauseAcrossAStopRunsFromTheLastQuotesBeforeItToTheFirstAfter() {
        assertEquals(3000, ClusterBenchmark.pauseAcross(List.of(100L, 150L, 200L, 3200L, 3250L), 210));
        assertEquals(90, ClusterBenchmark.pauseAcross(List.of(300L), 210), "nothing before: from the stop");
        assertEquals(-1, ClusterBenchmark.pauseAcross(List.of(100L, 200L), 210), "nothing after");
        assertEquals(2540, ClusterBenchmark.pauseAcross(List.of(100L, 220L, 260L, 2800L, 2850L), 210),
                "the bus's last quotes came after the stop, the silence after them");
    }

    @Test
    void theBookCountsATradeDeliveredWithDifferentBytesAndTradesSeenOnSeveralNodes() {
        QuoteRecorder.Book book = new QuoteRecorder.Book();
        book.file("node-1", "{\"symbol\":\"AAPL\",\"price\":1.5,\"volume\":100,\"ts\":7}");
        book.file("node-2", "{\"symbol\":\"AAPL\",\"price\":1.5,\"volume\":100,\"ts\":7}");
        book.file("node-1", "{\"symbol\":\"AAPL\",\"price\":1.6,\"volume\":200,\"ts\":8}");
        book.file("node-3", "{\"symbol\":\"MSFT\",\"price\":9.0,\"volume\":100,\"ts\":8}");
        assertEquals(0, book.conflicts.sum());
        assertEquals(3, book.trades());
        assertEquals(1, book.onSeveralNodes());
        book.file("node-3", "{\"symbol\":\"AAPL\",\"price\":1.7,\"volume\":200,\"ts\":8}");
        assertEquals(1, book.conflicts.sum());
        assertEquals(2, book.onSeveralNodes());
    }
}
