package dev.ticker.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Handshakes as an attacker writes them, each of which some container upgrades although its
 * {@code Upgrade} header is not exactly {@code websocket}: Tomcat looks for the token in the
 * comma-separated list of every {@code Upgrade} header, Undertow upgrades on any {@code Upgrade}
 * with a {@code Sec-WebSocket-Key} and version 13. The stream's gate (token, admission) must hold
 * for all of them.
 */
final class SneakyHandshakes {

    private SneakyHandshakes() {
    }

    /** By name, the header lines of each (a fresh key each call), the well-formed one first. */
    static Map<String, List<String>> all() {
        Map<String, List<String>> all = new LinkedHashMap<>();
        all.put("well-formed", with("Upgrade: websocket", "Connection: Upgrade"));
        all.put("Upgrade: websocket, x", with("Upgrade: websocket, x", "Connection: Upgrade"));
        all.put("Upgrade: x", with("Upgrade: x", "Connection: Upgrade"));
        all.put("two Upgrade headers", with("Upgrade: x", "Upgrade: websocket", "Connection: Upgrade"));
        all.put("mixed case", with("UPGRADE: WebSocket", "connection: keep-alive, UPGRADE"));
        all.put("forged ticket", with("Upgrade: websocket, x", "Connection: Upgrade", "X-Ticker-Ticket: 1",
                "x-ticker-ticket: 00000000000000000000000000000001"));
        return all;
    }

    private static List<String> with(String... lines) {
        List<String> all = new ArrayList<>(List.of(lines));
        all.add("Sec-WebSocket-Key: " + RawWebSocket.newKey());
        all.add("Sec-WebSocket-Version: 13");
        all.add("Sec-WebSocket-Protocol: ticker.v1");
        return all;
    }
}
