package dev.ticker.stream.sse;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.io.IOException;

/**
 * What the container says of a stream's response: it ended, timed out or failed. Public with a
 * no-argument constructor: WildFly takes every {@link AsyncListener} in a deployment for an
 * injectable component and warns about each one it cannot construct.
 */
public final class StreamEvents implements AsyncListener {

    private volatile SseTransport transport;

    public StreamEvents() {
    }

    StreamEvents(SseTransport transport) {
        this.transport = transport;
    }

    @Override
    public void onComplete(AsyncEvent event) {
        SseTransport stream = transport;
        if (stream != null) {
            stream.ended();
        }
    }

    /**
     * The stream has no timeout of its own, so this is the container giving up on it: Tomcat times
     * out every async request of an app it has begun to undeploy, about a second after it stops
     * taking new requests, whether or not the app's own drain has closed the stream yet.
     */
    @Override
    public void onTimeout(AsyncEvent event) {
        SseTransport stream = transport;
        if (stream != null) {
            stream.timedOut();
        }
    }

    @Override
    public void onError(AsyncEvent event) {
        SseTransport stream = transport;
        if (stream != null) {
            stream.fail(event.getThrowable() != null ? event.getThrowable() : new IOException("the stream failed"));
        }
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }
}
