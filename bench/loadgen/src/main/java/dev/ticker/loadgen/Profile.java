package dev.ticker.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An async-profiler recording in its collapsed form (one line per distinct stack, root first,
 * frames separated by {@code ;}, then the sample count) and the plain-text summary the benchmark
 * writes beside it: where the samples fall by part of the server (the Ticker's flush, the
 * container's I/O threads, the JIT, the GC) and by user or kernel code, then the hottest frames.
 * The collapsed file is what flame graph tools read; the summary is what bench/analysis.md quotes.
 */
final class Profile {

    /**
     * async-profiler's command for {@code event}: CPU and wall clock sampled every 10 ms (every 1 ms
     * cost the server at 20,000 frames/s a third more CPU and pushed it behind), allocations every 512 KB.
     */
    static String startCommand(String event) {
        return switch (event) {
            case "cpu" -> "start,event=cpu,interval=10ms";
            case "wall" -> "start,event=wall,interval=10ms";
            case "alloc" -> "start,event=alloc,alloc=512k";
            default -> throw new IllegalArgumentException("profile event is one of cpu, wall, alloc; not " + event);
        };
    }

    /** The parts of a server a stack can belong to, in the order they are tried. */
    private static final List<Map.Entry<String, List<String>>> PARTS = List.of(
            Map.entry("Ticker flush (visit, encode, hand the frame to the container)", List.of("dev/ticker/stream/Flusher.flush")),
            Map.entry("Ticker, elsewhere (send completions, requests, feed)", List.of("dev/ticker/")),
            Map.entry("JIT compiler", List.of("CompileBroker::", "C2Compiler", "C1Compiler")),
            Map.entry("garbage collector", List.of("G1", "GCTaskThread", "ConcurrentGCThread", "WorkerThread::run",
                    "VM_GC", "SafepointSynchronize")),
            Map.entry("container I/O threads (socket writes and reads, frame queues)", List.of("org/xnio/", "io/undertow/",
                    "org/apache/tomcat/", "org/glassfish/grizzly/", "org/apache/coyote/")));

    private final Map<String, Long> stacks;
    private final long total;

    private Profile(Map<String, Long> stacks) {
        this.stacks = stacks;
        this.total = stacks.values().stream().mapToLong(Long::longValue).sum();
    }

    static Profile read(Path collapsed) throws IOException {
        Map<String, Long> stacks = new LinkedHashMap<>();
        for (String line : Files.readAllLines(collapsed)) {
            int space = line.lastIndexOf(' ');
            if (space > 0) {
                stacks.merge(line.substring(0, space), Long.parseLong(line.substring(space + 1).trim()), Long::sum);
            }
        }
        return new Profile(stacks);
    }

    /** The summary for people: shares by part, kernel against user, hottest frames. */
    String summary(String event) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "async-profiler, event %s: %,d samples%s%n%n", event, total,
                event.equals("cpu") ? String.format(Locale.ROOT, " (10 ms each: %.1f s of CPU)", total / 100.0) : ""));
        if (total == 0) {
            return out.append("no samples\n").toString();
        }
        if (event.equals("alloc")) {
            return allocations(out);
        }
        Map<String, long[]> parts = new LinkedHashMap<>();
        PARTS.forEach(p -> parts.put(p.getKey(), new long[2]));
        parts.put("other", new long[2]);
        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        for (Map.Entry<String, Long> e : stacks.entrySet()) {
            String[] frames = e.getKey().split(";");
            long n = e.getValue();
            String leaf = frames[frames.length - 1];
            long[] part = parts.get(partOf(e.getKey()));
            part[leaf.endsWith("_[k]") ? 1 : 0] += n;
            self.merge(leaf, n, Long::sum);
            Set<String> seen = new HashSet<>();
            for (String frame : frames) {
                if (seen.add(frame)) {
                    inclusive.merge(frame, n, Long::sum);
                }
            }
        }
        out.append("share of samples by part of the server (each stack counted in the first part it matches):\n\n");
        out.append(String.format(Locale.ROOT, "%7s %7s %7s  %s%n", "all", "user", "kernel", "part"));
        long kernel = 0;
        for (Map.Entry<String, long[]> p : parts.entrySet()) {
            long[] c = p.getValue();
            kernel += c[1];
            out.append(String.format(Locale.ROOT, "%6.1f%% %6.1f%% %6.1f%%  %s%n", pct(c[0] + c[1]), pct(c[0]), pct(c[1]),
                    p.getKey()));
        }
        out.append(String.format(Locale.ROOT, "%6.1f%% %6.1f%% %6.1f%%  all%n%n", 100.0, pct(total - kernel), pct(kernel)));
        out.append("hottest frames, by samples in the frame itself:\n\n");
        top(self, 30).forEach(e -> out.append(String.format(Locale.ROOT, "%6.1f%%  %s%n", pct(e.getValue()), e.getKey())));
        out.append("\nhottest frames, by samples in the frame or anything it called (Ticker and container frames):\n\n");
        inclusive.keySet().removeIf(frame -> !frame.startsWith("dev/ticker/") && !frame.startsWith("io/undertow/")
                && !frame.startsWith("org/xnio/") && !frame.startsWith("org/apache/")
                && !frame.startsWith("org/glassfish/") && !frame.startsWith("sun/nio/ch/"));
        top(inclusive, 40).forEach(e -> out.append(String.format(Locale.ROOT, "%6.1f%%  %s%n", pct(e.getValue()), e.getKey())));
        return out.toString();
    }

    /** Allocation samples: the allocated type is the leaf, the allocating method the frame before it. */
    private String allocations(StringBuilder out) {
        Map<String, Long> types = new HashMap<>();
        Map<String, Long> sites = new HashMap<>();
        for (Map.Entry<String, Long> e : stacks.entrySet()) {
            String[] frames = e.getKey().split(";");
            String type = frames[frames.length - 1];
            types.merge(type, e.getValue(), Long::sum);
            // The first frame outside the JDK that led to it: whose allocation it is.
            String owner = "?";
            for (int i = frames.length - 2; i >= 0; i--) {
                if (!frames[i].startsWith("java/") && !frames[i].startsWith("jdk/") && !frames[i].startsWith("sun/")) {
                    owner = frames[i];
                    break;
                }
            }
            String site = frames.length > 1 ? frames[frames.length - 2] : "?";
            sites.merge(type + "  in " + site + "  for " + owner, e.getValue(), Long::sum);
        }
        out.append("allocated types (samples are taken every 512 KB, so their share is about the share of bytes):\n\n");
        top(types, 15).forEach(e -> out.append(String.format(Locale.ROOT, "%6.1f%%  %s%n", pct(e.getValue()), e.getKey())));
        out.append("\nallocation sites (type, allocating frame, first frame outside the JDK):\n\n");
        top(sites, 25).forEach(e -> out.append(String.format(Locale.ROOT, "%6.1f%%  %s%n", pct(e.getValue()), e.getKey())));
        return out.toString();
    }

    private static String partOf(String stack) {
        for (Map.Entry<String, List<String>> part : PARTS) {
            for (String marker : part.getValue()) {
                if (stack.contains(marker)) {
                    return part.getKey();
                }
            }
        }
        return "other";
    }

    private static List<Map.Entry<String, Long>> top(Map<String, Long> counts, int n) {
        List<Map.Entry<String, Long>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        return sorted.subList(0, Math.min(n, sorted.size()));
    }

    private double pct(long n) {
        return 100.0 * n / total;
    }
}
