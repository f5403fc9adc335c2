package dev.ticker.web;

import dev.ticker.stream.Admission;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.logging.Logger;

/**
 * Counts every request to the stream's paths ({@code /ws/*}, and {@code /sse/quotes} where a
 * Server-Sent Events stream is one connection like a WebSocket) against the server's limits before
 * the container can upgrade it or the stream can open:
 * past {@code ticker.maxSessions} connections in all, HTTP 503; past
 * {@code ticker.maxSessionsPerAddress} from the client's address, HTTP 429; both with
 * {@code Retry-After}. Refusing here costs the server one small HTTP response, where refusing
 * after the upgrade would cost a session, its buffers and a close handshake.
 *
 * <p>Every request, not only those whose {@code Upgrade} header reads {@code websocket}: the
 * containers disagree on what a handshake is (Tomcat upgrades when the header's list contains the
 * token, Undertow on any {@code Upgrade} with a {@code Sec-WebSocket-Key}), so a filter that
 * judged by the header would let through whatever it judged differently. A request that is not
 * upgraded, and did not open an event stream, gives its place back as soon as it is answered.
 *
 * <p>An admitted request gets a {@link Admission.Ticket}, passed on in a request header that the
 * transport reads ({@link Admission#TICKET_HEADER}; a client's own header of that name is
 * replaced) and released when the connection ends, or here at once if no connection claimed it.
 *
 * <p>The address is the connection's ({@code getRemoteAddr}): behind a reverse proxy, every client
 * has the proxy's unless the container is told to trust a forwarded header (Tomcat's
 * {@code RemoteIpValve}, WildFly's {@code proxy-address-forwarding}); see docs/operations.md.
 */
public class AdmissionFilter extends HttpFilter {

    private static final Logger LOG = Logger.getLogger(AdmissionFilter.class.getName());
    private static final int SWITCHING_PROTOCOLS = 101;

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        TickerRuntime runtime = TickerContextListener.runtime(request.getServletContext());
        if (runtime.hub().draining()) {
            runtime.refusals().count(Refusals.Reason.UNAVAILABLE);
            response.setHeader("Retry-After", "5");
            Texts.refuse(response, Refusals.Reason.UNAVAILABLE.status,
                    "This server is going away. Connect again (another node may serve you).");
            return;
        }
        if (!runtime.feed().isRunning()) {
            runtime.refusals().count(Refusals.Reason.UNAVAILABLE);
            response.setHeader("Retry-After", "5");
            Texts.refuse(response, Refusals.Reason.UNAVAILABLE.status,
                    "This server has no market data to serve right now. Try again (another node may serve you).");
            return;
        }
        Admission admission = runtime.hub().admission();
        Admission.Decision decision = admission.admit(request.getRemoteAddr(), runtime.time().monotonicMillis());
        if (!decision.admitted()) {
            boolean full = decision.refusal() == Admission.Refusal.SERVER_FULL;
            runtime.refusals().count(full ? Refusals.Reason.CAPACITY : Refusals.Reason.ADDRESS);
            LOG.fine(() -> "refused handshake from " + Texts.forLog(request.getRemoteAddr()) + ": " + decision.refusal());
            response.setHeader("Retry-After", full ? "5" : "30");
            Texts.refuse(response, full ? Refusals.Reason.CAPACITY.status : Refusals.Reason.ADDRESS.status, full
                    ? "The server holds as many connections as it is configured for. Try again later."
                    : "Too many connections from your address (at most "
                            + runtime.settings().stream().maxSessionsPerAddress() + "). Close one first.");
            return;
        }
        Admission.Ticket ticket = decision.ticket();
        boolean upgraded = false;
        try {
            chain.doFilter(new WithTicket(request, ticket.id()), response);
            upgraded = response.getStatus() == SWITCHING_PROTOCOLS;
        } finally {
            if (!upgraded && !admission.claimed(ticket)) {
                admission.release(ticket);
            }
        }
    }

    /** The request as the container's upgrade sees it: with our ticket header, and only ours. */
    private static final class WithTicket extends HttpServletRequestWrapper {
        private final String ticket;

        WithTicket(HttpServletRequest request, String ticket) {
            super(request);
            this.ticket = ticket;
        }

        private static boolean isTicket(String name) {
            return Admission.TICKET_HEADER.equalsIgnoreCase(name);
        }

        @Override
        public String getHeader(String name) {
            return isTicket(name) ? ticket : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return isTicket(name) ? Collections.enumeration(List.of(ticket)) : super.getHeaders(name);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = new ArrayList<>();
            for (Enumeration<String> e = super.getHeaderNames(); e.hasMoreElements(); ) {
                String name = e.nextElement();
                if (!isTicket(name)) {
                    names.add(name);
                }
            }
            names.add(Admission.TICKET_HEADER);
            return Collections.enumeration(names);
        }
    }
}
