package dev.ticker.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} (Debian's package) as a child process on a free port, with its own
 * directory. Without one installed the test is skipped, unless {@code -Dredis.required=true} (CI)
 * makes that a failure.
 */
final class RedisServer implements AutoCloseable {

    private final Path dir;
    private final int port;
    private final boolean persistent;
    private final String password;
    private Process process;

    private RedisServer(Path dir, int port, boolean persistent, String password) {
        this.dir = dir;
        this.port = port;
        this.persistent = persistent;
        this.password = password;
    }

    /** Starts one; {@code persistent}: with an append-only file, so a restart keeps the data. */
    static RedisServer start(boolean persistent) {
        return start(persistent, null);
    }

    /** Starts one that requires {@code password} (null: none) of the default user. */
    static RedisServer start(boolean persistent, String password) {
        String binary = binary();
        try {
            RedisServer server = new RedisServer(Files.createTempDirectory("ticker-redis"), freePort(), persistent, password);
            server.launch(binary);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String binary() {
        for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        String message = "redis-server is not installed (apt-get install redis-server)";
        if (Boolean.getBoolean("redis.required")) {
            throw new IllegalStateException(message);
        }
        Assumptions.abort(message);
        return null;
    }

    private void launch(String binary) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--daemonize", "no", "--protected-mode", "no"));
        command.addAll(persistent ? List.of("--appendonly", "yes", "--appendfsync", "always") : List.of("--appendonly", "no"));
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
                }
                sleep(20);
            }
        }
        throw new IllegalStateException("redis-server did not listen on " + port + " within 10 s");
    }

    URI uri() {
        return URI.create("redis://127.0.0.1:" + port);
    }

    int port() {
        return port;
    }

    /** Kills it (SIGKILL) and starts it again on the same port and directory. */
    void restart() {
        stop();
        try {
            launch(binary());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void stop() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
