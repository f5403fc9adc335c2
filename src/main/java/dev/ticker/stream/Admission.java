package dev.ticker.stream;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts connections, in all and per client address, from the handshake on, so that the ones
 * over a limit are refused before the upgrade: a servlet filter asks {@link #admit} for a
 * {@link Ticket}, and the ticket travels with the request to the transport, whose connection
 * {@link #claim claims} it when it opens and {@link #release releases} it when it ends. A ticket
 * whose handshake failed is released by the filter; one whose handshake succeeded but whose
 * connection never opened (the client vanished in between) expires after {@link #UNCLAIMED_MILLIS},
 * found by the next handshake or by the hub's timer ({@link #expireUnclaimed}), whichever is first.
 *
 * <p>A ticket's id is 128 random bits and can be claimed once: a client that gets its own
 * {@code X-Ticker-Ticket} header past the filter can neither guess another handshake's ticket nor
 * reuse one, and a connection without a valid ticket is refused (closed with 1008).
 *
 * <p>Thread safe. Admission decisions are taken under one lock: they are a few map operations,
 * and a lock-free count would let a burst from one address overshoot its limit.
 */
public final class Admission {

    /**
     * Request header that carries an admitted request's ticket from the gate to the transport;
     * the gate replaces a client's own.
     */
    public static final String TICKET_HEADER = "X-Ticker-Ticket";

    /** A ticket not claimed by an opening session within this long is released. */
    static final long UNCLAIMED_MILLIS = 30_000;

    /** Why a handshake was refused. */
    public enum Refusal {
        /** {@code maxSessions} connections are open or opening: HTTP 503. */
        SERVER_FULL,
        /** The client's address holds {@code maxSessionsPerAddress}: HTTP 429. */
        ADDRESS_FULL
    }

    /** One admitted connection's place in the counts. Released at most once. */
    public static final class Ticket {
        private final String id;
        private final String address;
        private final long issuedAt;
        private final AtomicBoolean claimed = new AtomicBoolean();
        private final AtomicBoolean released = new AtomicBoolean();

        private Ticket(String id, String address, long issuedAt) {
            this.id = id;
            this.address = address;
            this.issuedAt = issuedAt;
        }

        public String id() {
            return id;
        }
    }

    /** A ticket, or why there is none. */
    public record Decision(Ticket ticket, Refusal refusal) {
        public boolean admitted() {
            return ticket != null;
        }
    }

    private final int maxSessions;
    private final int maxPerAddress;
    private final Map<String, Integer> perAddress = new ConcurrentHashMap<>();
    private final Map<String, Ticket> unclaimed = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private int total;                 // guarded by this
    private long lastSweep = Long.MIN_VALUE;   // guarded by this; MIN_VALUE: never

    public Admission(int maxSessions, int maxPerAddress) {
        this.maxSessions = maxSessions;
        this.maxPerAddress = maxPerAddress;
    }

    /** Admits a handshake from {@code address} at {@code now} (monotonic ms) if both limits allow it. */
    public Decision admit(String address, long now) {
        sweep(now);
        synchronized (this) {
            if (total >= maxSessions) {
                return new Decision(null, Refusal.SERVER_FULL);
            }
            int held = perAddress.getOrDefault(address, 0);
            if (maxPerAddress > 0 && held >= maxPerAddress) {
                return new Decision(null, Refusal.ADDRESS_FULL);
            }
            total++;
            perAddress.put(address, held + 1);
        }
        byte[] bits = new byte[16];
        random.nextBytes(bits);
        String id = HexFormat.of().formatHex(bits);
        Ticket ticket = new Ticket(id, address, now);
        unclaimed.put(id, ticket);
        return new Decision(ticket, null);
    }

    /** The ticket of an opening session, now held by it; null if there is none (or it expired). */
    Ticket claim(Object id) {
        if (!(id instanceof String key)) {
            return null;
        }
        Ticket ticket = unclaimed.remove(key);
        if (ticket == null || ticket.released.get() || !ticket.claimed.compareAndSet(false, true)) {
            return null;
        }
        return ticket;
    }

    /** Whether {@code ticket}'s session opened. */
    public boolean claimed(Ticket ticket) {
        return ticket.claimed.get();
    }

    /** Gives the ticket's place back; any later call for the same ticket does nothing. */
    public void release(Ticket ticket) {
        if (ticket == null || !ticket.released.compareAndSet(false, true)) {
            return;
        }
        unclaimed.remove(ticket.id);
        synchronized (this) {
            total--;
            perAddress.computeIfPresent(ticket.address, (address, held) -> held <= 1 ? null : held - 1);
        }
    }

    /** Connections open or opening. */
    public synchronized int total() {
        return total;
    }

    /** Connections open or opening from {@code address}. */
    public int fromAddress(String address) {
        return perAddress.getOrDefault(address, 0);
    }

    /** Addresses that hold at least one connection (what the per-address map costs). */
    public int addresses() {
        return perAddress.size();
    }

    /**
     * Releases the tickets left unclaimed for over {@link #UNCLAIMED_MILLIS} as of {@code now}
     * (monotonic ms). Handshakes do it too, but with none coming such a ticket would hold its place
     * for ever. Looks at most once a second, however often it is called.
     */
    public void expireUnclaimed(long now) {
        sweep(now);
    }

    private void sweep(long now) {
        synchronized (this) {
            if (lastSweep != Long.MIN_VALUE && now - lastSweep < 1000) {
                return;
            }
            lastSweep = now;
        }
        for (Ticket ticket : unclaimed.values()) {
            if (now - ticket.issuedAt > UNCLAIMED_MILLIS && !ticket.claimed.get()) {
                release(ticket);
            }
        }
    }
}
