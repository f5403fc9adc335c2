package dev.ticker.stream.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ticker.stream.Close;
import dev.ticker.stream.CloseCodes;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the WebSocket transport asks of the container's session; the containers themselves are tested in the ITs. */
class WebSocketTransportTest {

    private final Map<String, Object> properties = new HashMap<>();
    private final Map<String, Object> calls = new HashMap<>();
    private final Session session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Session.class},
            (self, method, args) -> {
                switch (method.getName()) {
                    case "getUserProperties":
                        return properties;
                    case "getId":
                        return "s1";
                    default:
                        calls.put(method.getName(), args == null ? null : args[0]);
                        return null;
                }
            });

    @Test
    void limitsEveryMessageToTheRequestSize() {
        new WebSocketTransport(session, 4096, 10_000);
        assertEquals(4096, calls.get("setMaxTextMessageBufferSize"));
        assertEquals(4096, calls.get("setMaxBinaryMessageBufferSize"));
    }

    @Test
    void tomcatsBlockingWritesGiveUpAfterTheSendTimeout() {
        new WebSocketTransport(session, 4096, 10_000);
        assertEquals(10_000L, properties.get("org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT"));
        assertEquals((long) WebSocketTransport.CLOSE_WAIT_MILLIS, properties.get("org.apache.tomcat.websocket.SESSION_CLOSE_TIMEOUT"));
    }

    @Test
    void closesWithTheCodeAndReasonAndStopsWaitingForTheAnswerSoon() {
        new WebSocketTransport(session, 4096, 10_000).close(new Close(CloseCodes.SLOW_CONSUMER, "slow consumer"));
        CloseReason reason = (CloseReason) calls.get("close");
        assertEquals(4002, reason.getCloseCode().getCode());
        assertEquals("slow consumer", reason.getReasonPhrase());
        assertEquals((long) WebSocketTransport.CLOSE_WAIT_MILLIS, ((Number) calls.get("setMaxIdleTimeout")).longValue());
    }
}
