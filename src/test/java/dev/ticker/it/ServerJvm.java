package dev.ticker.it;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The JVM of the server under test, looked at from outside as an operator would: its threads and
 * its heap after a full GC. The embedded server is this JVM; a managed one is found as the process
 * listening on the IT port (Linux: {@code /proc/net/tcp} and {@code /proc/PID/fd}) and asked with
 * the JDK's {@code jcmd}, so every server is measured the same way and nothing is needed inside it.
 */
final class ServerJvm {

    private static final Pattern JCMD_HEAP = Pattern.compile("(?m)^\\s*\\S.*?\\bused (\\d+)K");
    private static final Pattern THREAD_NAME = Pattern.compile("(?m)^\"([^\"]+)\"");

    private final long pid;
    private final boolean self;

    private ServerJvm(long pid) {
        this.pid = pid;
        this.self = pid == ProcessHandle.current().pid();
    }

    /** The JVM listening on {@code port}. */
    static ServerJvm listeningOn(int port) throws IOException {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split("\\s+");
                // local_address is HEXIP:HEXPORT; state 0A is LISTEN; field 9 is the inode.
                if (f.length > 9 && f[1].endsWith(":" + String.format(Locale.ROOT, "%04X", port)) && f[3].equals("0A")) {
                    inodes.add("socket:[" + f[9] + "]");
                }
            }
        }
        if (inodes.isEmpty()) {
            throw new IOException("nothing listens on port " + port);
        }
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                String name = process.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try (Stream<Path> fds = Files.list(process.resolve("fd"))) {
                    for (Path fd : (Iterable<Path>) fds::iterator) {
                        try {
                            if (inodes.contains(Files.readSymbolicLink(fd).toString())) {
                                return new ServerJvm(Long.parseLong(name));
                            }
                        } catch (IOException gone) {
                            // the descriptor closed meanwhile
                        }
                    }
                } catch (IOException | SecurityException notOurs) {
                    // a process we may not look into, or one that ended
                }
            }
        }
        throw new IOException("no process owns the socket listening on port " + port);
    }

    /**
     * Names of the live threads whose name starts with {@code prefix}, sorted; none once the JVM
     * has ended (Payara Micro's adapter ends the server's JVM with its one deployment).
     */
    List<String> threads(String prefix) throws IOException, InterruptedException {
        List<String> names = new ArrayList<>();
        if (!self && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return names;
        }
        if (self) {
            Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                    .filter(n -> n.startsWith(prefix)).forEach(names::add);
        } else {
            String dump;
            try {
                dump = jcmd("Thread.print");
            } catch (IOException e) {
                // A JVM shutting down (Payara Micro's after its undeploy) breaks off the attach:
                // if it ends, it holds no threads; if it lives on, the failure is real.
                boolean ended = ProcessHandle.of(pid).map(p -> {
                    try {
                        p.onExit().get(30, TimeUnit.SECONDS);
                        return true;
                    } catch (Exception stillRunning) {
                        return false;
                    }
                }).orElse(true);
                if (ended) {
                    return names;
                }
                throw e;
            }
            Matcher m = THREAD_NAME.matcher(dump);
            while (m.find()) {
                if (m.group(1).startsWith(prefix)) {
                    names.add(m.group(1));
                }
            }
        }
        names.sort(null);
        return names;
    }

    /**
     * The stacks of the live threads whose name starts with {@code prefix}, for a failure message:
     * what the server was doing when a test saw it stall. Never throws; says why if it cannot tell.
     */
    String stacks(String prefix) {
        try {
            StringBuilder out = new StringBuilder();
            if (self) {
                Thread.getAllStackTraces().forEach((thread, stack) -> {
                    if (thread.getName().startsWith(prefix)) {
                        out.append('"').append(thread.getName()).append("\" ").append(thread.getState()).append('\n');
                        for (StackTraceElement frame : stack) {
                            out.append("\tat ").append(frame).append('\n');
                        }
                        out.append('\n');
                    }
                });
            } else {
                boolean keep = false;
                for (String line : jcmd("Thread.print").split("\n")) {
                    if (line.startsWith("\"")) {
                        keep = line.startsWith("\"" + prefix);
                    }
                    if (keep) {
                        out.append(line).append('\n');
                    }
                }
            }
            return out.toString();
        } catch (Exception e) {
            return "(no thread dump: " + e + ")";
        }
    }

    /** Heap in use right after a full GC, in bytes. */
    long heapAfterGc() throws IOException, InterruptedException {
        if (self) {
            System.gc();
            Thread.sleep(200);
            System.gc();
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
        jcmd("GC.run");
        Matcher m = JCMD_HEAP.matcher(jcmd("GC.heap_info"));
        if (!m.find()) {
            throw new IOException("jcmd GC.heap_info gave no 'used' figure");
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), String.valueOf(pid), command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("jcmd " + pid + " " + command + " failed: " + out);
        }
        return out;
    }
}
