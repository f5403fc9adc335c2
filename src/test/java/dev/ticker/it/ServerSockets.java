package dev.ticker.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The server's open sockets, counted from outside as an operator would with {@code ss}: the
 * kernel's tables in {@code /proc/net/tcp} and {@code tcp6} (Linux), where a socket still held by a
 * process has an inode and one its process has closed (in FIN_WAIT, TIME_WAIT: the kernel's
 * business now) has none.
 */
final class ServerSockets {

    private ServerSockets() {
    }

    /** Sockets a process holds whose local port is {@code serverPort} and whose peer is {@code peerIp} (IPv4). */
    static int heldFrom(String peerIp, int serverPort) {
        String peer = hexIpv4(peerIp);
        int held = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length < 10) {
                    continue;
                }
                String local = fields[1];
                String remote = fields[2];
                int localPort = Integer.parseInt(local.substring(local.indexOf(':') + 1), 16);
                String remoteIp = remote.substring(0, remote.indexOf(':'));
                // In tcp6 an IPv4 peer of a dual-stack socket is ::ffff:a.b.c.d, its last 8 hex digits.
                boolean fromPeer = remoteIp.length() == 8 ? remoteIp.equals(peer)
                        : remoteIp.equals("0000000000000000FFFF0000" + peer);
                if (localPort == serverPort && fromPeer && !fields[9].equals("0")) {
                    held++;
                }
            }
        }
        return held;
    }

    /** {@code 127.0.3.1} as the kernel writes it: the address's four bytes, little-endian, in hex. */
    private static String hexIpv4(String ip) {
        String[] parts = ip.split("\\.");
        StringBuilder hex = new StringBuilder();
        for (int i = 3; i >= 0; i--) {
            hex.append(String.format("%02X", Integer.parseInt(parts[i])));
        }
        return hex.toString();
    }
}
