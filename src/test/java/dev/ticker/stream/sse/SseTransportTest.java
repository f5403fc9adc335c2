package dev.ticker.stream.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ticker.market.TimeSource;
import dev.ticker.market.Universe;
import dev.ticker.stream.Close;
import dev.ticker.stream.CloseCodes;
import dev.ticker.stream.QuoteBoard;
import dev.ticker.stream.QuoteHub;
import dev.ticker.stream.StreamConfig;
import dev.ticker.stream.protocol.Heartbeat;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The transport's bookkeeping of Servlet non-blocking writes, against a stand-in output stream
 * that is ready or not as the test says (the containers themselves are tested in the ITs): a
 * send completes only when the container took all of it, a ping goes ahead of the next frame, a
 * close writes its event only when nothing else is in the way (also when the container times the
 * response out), and after a failed write the response is left to the container's error handling.
 */
class SseTransportTest {

    private final QuoteHub hub = new QuoteHub(new QuoteBoard(Universe.standard(5, 1)), StreamConfig.defaults(), TimeSource.SYSTEM);
    private final Output out = new Output();
    private final AtomicInteger completes = new AtomicInteger();
    private final AtomicInteger ended = new AtomicInteger();
    private final AsyncContext async = (AsyncContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {AsyncContext.class}, (self, method, args) -> {
                if (method.getName().equals("complete")) {
                    completes.incrementAndGet();
                }
                return null;
            });
    private final SseTransport transport = new SseTransport("0123456789abcdef0123456789abcdef", async, out, hub,
            "event: stream\n\n".getBytes(StandardCharsets.UTF_8), ended::incrementAndGet);
    private final List<Throwable> results = new ArrayList<>();

    @org.junit.jupiter.api.BeforeEach
    void openedByTheHub() {
        transport.opened(null);
    }

    /**
     * The first event names the control URL: nothing goes out before the hub's open has returned,
     * so that a client posting to that URL at once finds the stream's connection.
     */
    @Test
    void nothingIsWrittenUntilTheHubsOpenReturned() {
        SseTransport opening = new SseTransport("fedcba9876543210fedcba9876543210", async, out, hub,
                "event: stream\n\n".getBytes(StandardCharsets.UTF_8), ended::incrementAndGet);
        int before = out.text().length();
        opening.send(new Heartbeat(1, 5), results::add);
        assertEquals(before, out.text().length(), "written before the open returned");
        assertEquals(List.of(), results, "the send is still in flight");
        opening.opened(null);
        assertTrue(out.text().endsWith("event: stream\n\nid: 1\ndata: {\"type\":\"heartbeat\",\"seq\":1,\"ts\":5}\n\n"),
                out.text());
        assertEquals(1, results.size());
        assertEquals(null, results.get(0));
    }

    @AfterEach
    void stop() {
        hub.shutdown(1000);
    }

    @Test
    void aFrameTheContainerTakesAtOnceCompletesAtOnceAfterTheFirstEvents() {
        transport.send(new Heartbeat(1, 5), results::add);
        assertEquals(1, results.size());
        assertNull(results.get(0));
        assertEquals("event: stream\n\nid: 1\ndata: {\"type\":\"heartbeat\",\"seq\":1,\"ts\":5}\n\n", out.text());
        assertEquals(1, out.flushes);
    }

    @Test
    void aFrameCompletesOnlyOnceTheContainerHasTakenItAll() {
        out.ready = false;
        transport.send(new Heartbeat(1, 5), results::add);
        assertTrue(results.isEmpty(), "completed before it was written");
        assertEquals("", out.text());
        out.ready = true;
        transport.onWritePossible();
        assertEquals(1, results.size());
        assertNull(results.get(0));
        assertTrue(out.text().endsWith("id: 1\ndata: {\"type\":\"heartbeat\",\"seq\":1,\"ts\":5}\n\n"), out.text());
    }

    @Test
    void aPingThatCouldNotBeWrittenGoesBeforeTheNextFrame() throws IOException {
        out.ready = false;
        transport.ping(ByteBuffer.allocate(8).putLong(0, 0x1f0e3c5a9b7d2e41L));
        transport.send(new Heartbeat(1, 5), results::add);
        assertTrue(results.isEmpty());
        out.ready = true;
        transport.onWritePossible();
        assertEquals(1, results.size());
        assertEquals("event: stream\n\nevent: ping\ndata: {\"payload\":\"1f0e3c5a9b7d2e41\"}\n\n"
                + "id: 1\ndata: {\"type\":\"heartbeat\",\"seq\":1,\"ts\":5}\n\n", out.text());
    }

    @Test
    void aCloseWritesItsEventThenEndsTheResponse() {
        transport.close(new Close(CloseCodes.SLOW_CONSUMER, "slow consumer"));
        assertTrue(out.text().endsWith("event: close\ndata: {\"code\":4002,\"reason\":\"slow consumer\"}\n\n"), out.text());
        assertEquals(1, completes.get());
        assertEquals(1, ended.get());
        transport.close(new Close(CloseCodes.GOING_AWAY, "again"));
        assertEquals(1, completes.get(), "ended once");
    }

    @Test
    void aCloseBehindAStuckFrameEndsTheResponseWithoutItsEvent() {
        out.ready = false;
        transport.send(new Heartbeat(1, 5), results::add);
        transport.close(new Close(CloseCodes.SLOW_CONSUMER, "slow consumer"));
        assertFalse(out.text().contains("event: close"));
        assertEquals(1, completes.get());
        out.ready = true;
        transport.onWritePossible();                // the container, after the end: nothing more
        assertEquals("", out.text());
    }

    /** Tomcat times out the async requests of an app it undeploys: the stream still ends with a close event. */
    @Test
    void aTimeoutByTheContainerEndsTheResponseWithAGoingAwayCloseEvent() {
        transport.timedOut();
        assertTrue(out.text().endsWith("event: close\ndata: {\"code\":1001,\"reason\":\"server going away; connect again\"}\n\n"),
                out.text());
        assertEquals(1, completes.get(), "completed within the container's callback");
        assertEquals(1, ended.get());
        transport.ended();                          // the container's onComplete that follows
        assertEquals(1, completes.get());
        assertEquals(1, ended.get());
    }

    @Test
    void afterAFailedWriteTheContainerEndsTheResponse() {
        out.failure = new IOException("Broken pipe");
        transport.send(new Heartbeat(1, 5), results::add);
        assertEquals(1, results.size());
        assertEquals("Broken pipe", results.get(0).getMessage());
        transport.close(new Close(CloseCodes.UNEXPECTED_CONDITION, "send failed"));
        assertEquals(0, completes.get(), "a complete racing the container's own error handling");
        assertEquals(1, ended.get());
        List<Throwable> later = new ArrayList<>();
        transport.send(new Heartbeat(2, 6), later::add);
        assertTrue(later.get(0) instanceof IOException, "nothing is written after the end");
    }

    @Test
    void theContainersErrorCallbackEndsTheResponseOnItsOwnThread() {
        out.ready = false;
        transport.send(new Heartbeat(1, 5), results::add);
        transport.fail(new IOException("Connection reset"));
        assertEquals(1, completes.get());
        assertEquals("Connection reset", results.get(0).getMessage());
    }

    /** An output stream that is ready when the test says, and fails when it says. */
    private static final class Output extends ServletOutputStream {
        private final ByteArrayOutputStream written = new ByteArrayOutputStream();
        boolean ready = true;
        IOException failure;
        int flushes;

        String text() {
            return written.toString(StandardCharsets.UTF_8);
        }

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (failure != null) {
                throw failure;
            }
            written.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            if (failure != null) {
                throw failure;
            }
            flushes++;
        }
    }
}
