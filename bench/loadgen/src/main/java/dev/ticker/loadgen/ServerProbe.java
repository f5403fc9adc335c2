package dev.ticker.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the server's side of a run from outside the server, on the same Linux machine: CPU time
 * and resident memory from {@code /proc/PID}, heap in use after a full GC (through {@code jcmd} for
 * a JVM, or an HTTP endpoint that runs the GC, as the Node reference server's {@code /gc}), and any
 * JSON status page. Nothing here needs code in the server under test.
 */
final class ServerProbe {

    /** Linux reports process times in clock ticks of 1/100 s on every architecture we run on. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final Pattern JCMD_HEAP = Pattern.compile("(?m)^\\s*\\S.*?\\bused (\\d+)K");
    private static final Pattern USED_BYTES = Pattern.compile("\"heapUsedBytes\"\\s*:\\s*(\\d+)");

    private final long pid;
    private final String heap;      // "jcmd", an http URL, or null
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    ServerProbe(long pid, String heap) {
        this.pid = pid;
        this.heap = heap;
    }

    /** User plus system CPU time of the server process so far, in ns. */
    long cpuNanos() throws IOException {
        long[] times = times();
        return times[0] + times[1];
    }

    /**
     * System (kernel) CPU time of the server process so far, in ns: on this machine mostly the
     * socket writes and, on loopback, the receiving side's TCP processing the writer runs; about
     * the same work per frame for any server, so the rest of the CPU is what its own code costs.
     */
    long kernelCpuNanos() throws IOException {
        return times()[1];
    }

    /** utime and stime of the process (all its threads), in ns. */
    private long[] times() throws IOException {
        String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
        // The command name (field 2) may hold spaces; the fields we want follow its closing ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(fields[11]) * NANOS_PER_TICK, Long.parseLong(fields[12]) * NANOS_PER_TICK};
    }

    /**
     * Loads the profiler into the server and runs it once for nothing: its first start is the
     * costly one (it loads the agent and reads the symbols of the server's libraries), to be paid
     * before what is measured.
     */
    void primeProfiler(Path library, String event, Path out) throws IOException, InterruptedException {
        Path primed = Path.of(out + ".warmup.collapsed");
        profiler(library, Profile.startCommand(event));
        profiler(library, "stop,file=" + primed.toAbsolutePath());
        Files.deleteIfExists(primed);
    }

    /** Stops the profiler into {@code out}.collapsed and writes its summary to {@code out}.txt, returned. */
    Path stopProfiler(Path library, String event, Path out) throws IOException, InterruptedException {
        Path collapsed = Path.of(out + ".collapsed");
        profiler(library, "stop,file=" + collapsed.toAbsolutePath());
        Path summary = Path.of(out + ".txt");
        Files.writeString(summary, Profile.read(collapsed).summary(event));
        return summary.toAbsolutePath();
    }

    /**
     * Runs an async-profiler command ({@code start,event=cpu,...} or {@code stop,file=...}) in the
     * server's JVM, loading {@code library} into it on first use (jcmd JVMTI.agent_load: the
     * profiler's dynamic attach, with no launcher of its own to install).
     */
    void profiler(Path library, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        // jcmd splits its arguments at '=' unless they are quoted.
        String out = run(jcmd.toString(), String.valueOf(pid), "JVMTI.agent_load", library.toAbsolutePath().toString(),
                "\"" + command + "\"");
        if (!out.contains("return code: 0")) {
            throw new IOException("async-profiler refused '" + command + "': " + out.trim());
        }
    }

    /** Resident set size of the server process, in bytes. */
    long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /** Heap in use right after a full GC, in bytes; -1 if no way to ask was given. */
    long heapAfterGcBytes() throws IOException, InterruptedException {
        if (heap == null) {
            return -1;
        }
        if (heap.equals("jcmd")) {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            run(jcmd.toString(), String.valueOf(pid), "GC.run");
            Matcher m = JCMD_HEAP.matcher(run(jcmd.toString(), String.valueOf(pid), "GC.heap_info"));
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        }
        Matcher m = USED_BYTES.matcher(get(heap));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The body of a GET, for status pages. */
    String get(String url) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }
}
