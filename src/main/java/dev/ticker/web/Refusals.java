package dev.ticker.web;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Handshakes refused before the upgrade, by reason: what an operator sees in health and metrics. */
final class Refusals {

    /** Why a handshake was refused, and the HTTP status it got. */
    enum Reason {
        /** A foreign web page (403). */
        ORIGIN(403),
        /** No or a wrong token, where one is required (401). */
        TOKEN(401),
        /** The client's address holds its share of connections (429). */
        ADDRESS(429),
        /** The server holds its maximum of connections (503). */
        CAPACITY(503),
        /** The node has no quotes to serve: its feed stopped, or in cluster mode it lost the market (503). */
        UNAVAILABLE(503);

        final int status;

        Reason(int status) {
            this.status = status;
        }

        /** Lower case name, as in health and metrics. */
        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<Reason, LongAdder> counts = new EnumMap<>(Reason.class);

    Refusals() {
        for (Reason reason : Reason.values()) {
            counts.put(reason, new LongAdder());
        }
    }

    void count(Reason reason) {
        counts.get(reason).increment();
    }

    long get(Reason reason) {
        return counts.get(reason).sum();
    }
}
