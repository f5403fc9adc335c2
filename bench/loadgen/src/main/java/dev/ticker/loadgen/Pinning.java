package dev.ticker.loadgen;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which CPUs the server under test and the load generator may run on ({@code taskset -c}), so that
 * neither takes the other's: on a shared core a load generator that falls behind slows the server's
 * sends, and a server result then measures the machine. Empty lists: not pinned.
 *
 * @param server  the server's CPUs, as {@code taskset -c} takes them ("0", "0-1"), or ""
 * @param loadgen the load generator's CPUs, or ""
 */
record Pinning(String server, String loadgen) {

    static final Pinning NONE = new Pinning("", "");
    private static final Path TASKSET = Path.of("/usr/bin/taskset");

    /**
     * From the benchmark's {@code --pin} option: {@code auto} (the server on CPU 0, the load
     * generator on the others, where there are at least two and {@code taskset} exists),
     * {@code off}, or {@code SERVER:LOADGEN} such as {@code 0:1} or {@code 0-1:2-3}.
     */
    static Pinning of(String option, int cpus) {
        switch (option) {
            case "off" -> {
                return NONE;
            }
            case "auto" -> {
                if (cpus < 2 || !Files.isExecutable(TASKSET)) {
                    return NONE;
                }
                return new Pinning("0", cpus == 2 ? "1" : "1-" + (cpus - 1));
            }
            default -> {
                String[] parts = option.split(":");
                if (parts.length != 2 || !parts[0].matches("[0-9,-]+") || !parts[1].matches("[0-9,-]+")) {
                    throw new IllegalArgumentException("--pin is auto, off or SERVER:LOADGEN CPUs (0:1), not " + option);
                }
                return new Pinning(parts[0], parts[1]);
            }
        }
    }

    boolean pinned() {
        return !server.isEmpty();
    }

    /** {@code command} to run on the server's CPUs (its children, a launcher script's JVM, inherit them). */
    List<String> server(List<String> command) {
        return on(server, command);
    }

    /** {@code command} to run on the load generator's CPUs. */
    List<String> loadgen(List<String> command) {
        return on(loadgen, command);
    }

    private static List<String> on(String cpus, List<String> command) {
        if (cpus.isEmpty()) {
            return command;
        }
        List<String> pinned = new ArrayList<>(List.of(TASKSET.toString(), "-c", cpus));
        pinned.addAll(command);
        return pinned;
    }

    /** How many CPUs a {@code taskset -c} list names ("0" 1, "1-3" 3, "0,2" 2). */
    static int count(String cpus) {
        int count = 0;
        for (String range : cpus.split(",")) {
            if (range.isEmpty()) {
                continue;
            }
            String[] ends = range.split("-");
            count += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
        }
        return count;
    }
}
