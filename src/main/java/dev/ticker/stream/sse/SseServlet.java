package dev.ticker.stream.sse;

import dev.ticker.stream.Admission;
import dev.ticker.stream.Close;
import dev.ticker.stream.CloseCodes;
import dev.ticker.stream.Connection;
import dev.ticker.stream.QuoteHub;
import dev.ticker.stream.protocol.CommandDecoder;
import dev.ticker.stream.protocol.ErrorCode;
import dev.ticker.stream.protocol.Invalid;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The stream over Server-Sent Events, for clients that cannot open a WebSocket (a proxy strips
 * {@code Upgrade}). {@code GET /sse/quotes} opens a stream: the same frames as on the WebSocket,
 * one event each (see {@link SseTransport}), after a first {@code stream} event naming the
 * stream's control URL:
 * <pre>
 * retry: 3000
 * event: stream
 * data: {"stream":"9f0c…","control":"/ticker/sse/quotes/9f0c…"}
 * </pre>
 * {@code POST} of one JSON request (the WebSocket's text frames: subscribe, unsubscribe, ping,
 * history) to the control URL carries it out; the answer arrives on the stream, and the POST gets
 * {@code 202 Accepted}. The stream's pings ({@code event: ping}, {@code {"payload":"…"}}) are
 * answered by a {@code POST} of the payload to the control URL + {@code /pong} ({@code 204}); a
 * stream whose pings go unanswered is closed with 4003, as a WebSocket would be. A control URL that names no live stream gets {@code 404} whether it never
 * existed, has ended, or is someone else's (its id is 128 random bits, known only to the client
 * that opened it). A body over {@code maxMessageBytes} gets {@code 413} and closes the stream
 * with 1009, as the WebSocket would.
 *
 * <p>Both directions use Servlet non-blocking I/O: no thread waits on a slow client, a slow
 * stream reader or a slow request body alike. The gates in front of it (origin, token,
 * admission) are the WebSocket's, mapped to this path in web.xml.
 */
public final class SseServlet extends HttpServlet {

    /** Path of the stream below the context root. */
    public static final String PATH = "/sse/quotes";

    private static final Logger LOG = Logger.getLogger(SseServlet.class.getName());
    private static final SecureRandom IDS = new SecureRandom();
    /** How long a control request may take to send its body. */
    private static final long BODY_TIMEOUT_MILLIS = 10_000;
    /** The control URL's suffix for the answers to pings. */
    private static final String PONG = "/pong";
    private static final int MAX_PONG_BYTES = 64;
    /** How long the first event tells a client to wait before it reconnects on its own. */
    private static final int RETRY_MILLIS = 3_000;

    private final transient QuoteHub hub;
    // Bounded by admission: every stream holds a place, and leaves this map when it ends.
    private final transient Map<String, SseTransport> streams = new ConcurrentHashMap<>();

    SseServlet(QuoteHub hub) {
        this.hub = hub;
    }

    /** Publishes the stream at {@value #PATH} in {@code context}, served by {@code hub}. */
    public static void register(ServletContext context, QuoteHub hub) {
        ServletRegistration.Dynamic servlet = context.addServlet("sse-quotes", new SseServlet(hub));
        if (servlet == null) {
            throw new IllegalStateException("a servlet named sse-quotes is already registered");
        }
        servlet.addMapping(PATH, PATH + "/*");
        servlet.setAsyncSupported(true);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path != null && !path.equals("/")) {
            response.setHeader("Allow", "POST");
            notFound(response);
            return;
        }
        String ticket = request.getHeader(Admission.TICKET_HEADER);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        // No proxy or browser may keep or hold back any of it: nginx buffers a response unless told not to.
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Accel-Buffering", "no");
        if (request.getProtocol().startsWith("HTTP/1.")) {
            // A stream the server ends is not kept alive for another request: its socket goes too.
            response.setHeader("Connection", "close");
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(0);               // the hub's timeouts end it, not the container's
        ServletOutputStream out = response.getOutputStream();
        String id = HexFormat.of().formatHex(randomBytes());
        byte[] prefix = ("retry: " + RETRY_MILLIS + "\nevent: stream\ndata: {\"stream\":\"" + id + "\",\"control\":\""
                + request.getContextPath() + PATH + "/" + id + "\"}\n\n").getBytes(StandardCharsets.UTF_8);
        SseTransport transport = new SseTransport(id, async, out, hub, prefix, () -> streams.remove(id));
        streams.put(id, transport);
        async.addListener(new StreamEvents(transport));
        out.setWriteListener(transport);
        transport.opened(hub.open(transport, ticket));
    }

    /** Not a stream: HttpServlet's default would run doGet without a body, and hold a connection for nothing. */
    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) {
        response.setHeader("Allow", "GET, POST");
        response.setStatus(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        boolean pong = path != null && path.endsWith(PONG);
        String id = path == null || path.length() < 2 ? null : path.substring(1, path.length() - (pong ? PONG.length() : 0));
        SseTransport stream = id == null ? null : streams.get(id);
        Connection connection = stream == null ? null : stream.connection();
        if (connection == null) {
            notFound(response);
            return;
        }
        int max = pong ? MAX_PONG_BYTES : hub.config().maxMessageBytes();
        if (request.getContentLengthLong() > max) {
            if (pong) {
                response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            } else {
                tooBig(connection, response, max);
            }
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(BODY_TIMEOUT_MILLIS);
        ServletInputStream in = request.getInputStream();
        in.setReadListener(new Body(connection, in, async, response, max, pong));
    }

    /**
     * Carries out a control request's body: a request, or the answer to a ping. A body that is not
     * UTF-8 closes the stream with 1007, as a WebSocket text frame that is not does.
     */
    private void carryOut(Connection connection, byte[] bytes, boolean pong, int max, HttpServletResponse response)
            throws IOException {
        String body;
        try {
            body = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notUtf8) {
            hub.close(connection, new Close(CloseCodes.INVALID_TEXT, "a request was not valid UTF-8"));
            json(response, HttpServletResponse.SC_BAD_REQUEST, "BAD_REQUEST", "not valid UTF-8; the stream is closed (1007)");
            return;
        }
        if (!pong) {
            hub.handle(connection, new CommandDecoder(max).decode(body));
            response.setStatus(HttpServletResponse.SC_ACCEPTED);
            return;
        }
        // A payload that answers no ping of ours proves nothing, as on the WebSocket; it is not an error either.
        String hex = body.trim();
        if (hex.length() == 2 * Long.BYTES && HexFormat.isHexDigit(hex.charAt(0))) {
            try {
                hub.pong(connection, ByteBuffer.wrap(HexFormat.of().parseHex(hex)));
            } catch (IllegalArgumentException notHex) {
                LOG.log(Level.FINE, "a pong that is not hex", notHex);
            }
        }
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    /** Reads a control request's body as it arrives, up to one byte over the limit, and then carries it out. */
    private final class Body implements ReadListener {
        private final Connection connection;
        private final ServletInputStream in;
        private final AsyncContext async;
        private final HttpServletResponse response;
        private final int max;
        private final boolean pong;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream(256);
        private final byte[] chunk = new byte[1024];
        private boolean done;

        Body(Connection connection, ServletInputStream in, AsyncContext async, HttpServletResponse response, int max,
             boolean pong) {
            this.pong = pong;
            this.connection = connection;
            this.in = in;
            this.async = async;
            this.response = response;
            this.max = max;
        }

        @Override
        public synchronized void onDataAvailable() throws IOException {
            while (!done && in.isReady()) {
                int read = in.read(chunk);
                if (read < 0) {
                    return;                      // onAllDataRead follows
                }
                body.write(chunk, 0, read);
                if (body.size() > max) {
                    done = true;
                    if (pong) {
                        response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
                    } else {
                        tooBig(connection, response, max);
                    }
                    async.complete();
                }
            }
        }

        @Override
        public synchronized void onAllDataRead() throws IOException {
            if (done) {
                return;
            }
            done = true;
            carryOut(connection, body.toByteArray(), pong, max, response);
            async.complete();
        }

        @Override
        public synchronized void onError(Throwable error) {
            LOG.log(Level.FINE, "control request not read", error);
            if (!done) {
                done = true;
                async.complete();
            }
        }
    }

    private void tooBig(Connection connection, HttpServletResponse response, int max) throws IOException {
        String message = "message exceeds " + max + " bytes";
        hub.handle(connection, new Invalid(null, ErrorCode.MESSAGE_TOO_BIG, message));
        json(response, HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE, "MESSAGE_TOO_BIG", message + "; the stream is closed (1009)");
    }

    /** Never says whether the stream existed: unknown, ended and someone else's read the same. */
    private static void notFound(HttpServletResponse response) throws IOException {
        json(response, HttpServletResponse.SC_NOT_FOUND, "NO_SUCH_STREAM",
                "no such stream: it has ended, or it was never opened here; open a new one with GET " + PATH);
    }

    private static void json(HttpServletResponse response, int status, String code, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write("{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}");
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        IDS.nextBytes(bytes);
        return bytes;
    }
}
