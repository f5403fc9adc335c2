package dev.ticker.loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU time from the first line of Linux's {@code /proc/stat}, in clock ticks
 * summed over every core: what was busy (user, nice, system, irq, softirq) and what the hypervisor
 * took for other guests (steal). A measured second that is bad for every client at once is either
 * the server, this process, or the machine; these two numbers tell the last apart: a full machine
 * (busy near every core) or a host that ran someone else on our cores (steal above zero).
 *
 * <pre>
 * cpu  2024144 29746 578936 1807292 5518 0 150592 109042 0 0
 *      user    nice  system idle    iowait irq softirq steal guest guest_nice
 * </pre>
 *
 * @param busy  user + nice + system + irq + softirq ticks (guest time is inside user already)
 * @param steal ticks the hypervisor ran something else while this machine wanted to run
 * @param total every tick of the line but guest and guest_nice (also counted in user and nice)
 */
record MachineCpu(long busy, long steal, long total) {

    private static final Path STAT = Path.of("/proc/stat");

    /** Now, or null where there is no {@code /proc/stat} (not Linux): nothing is then reported. */
    static MachineCpu read() {
        try {
            return parse(Files.readAllLines(STAT).get(0));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static MachineCpu parse(String line) {
        String[] f = line.trim().split("\\s+");
        if (!f[0].equals("cpu")) {
            throw new IllegalArgumentException("not the aggregate cpu line: " + line);
        }
        long[] v = new long[8];                 // kernels before 2.6.11 had fewer columns: zeros
        for (int i = 0; i < v.length && i + 1 < f.length; i++) {
            v[i] = Long.parseLong(f[i + 1]);
        }
        long busy = v[0] + v[1] + v[2] + v[5] + v[6];
        long total = busy + v[3] + v[4] + v[7];
        return new MachineCpu(busy, v[7], total);
    }

    /** Share of the machine's time (all cores) busy from {@code earlier} to this, in percent. */
    double busyPercentSince(MachineCpu earlier) {
        return percent(busy - earlier.busy, total - earlier.total);
    }

    /** Share of the machine's time (all cores) stolen from {@code earlier} to this, in percent. */
    double stealPercentSince(MachineCpu earlier) {
        return percent(steal - earlier.steal, total - earlier.total);
    }

    private static double percent(long part, long whole) {
        return whole <= 0 ? 0 : 100.0 * part / whole;
    }
}
