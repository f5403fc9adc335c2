package dev.ticker.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Debian's nginx as a child process, with a configuration from the test resources (see its placeholders). */
final class Nginx implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/nginx");

    private final Process process;
    private final int port;

    private Nginx(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts nginx on {@code port} with the resource {@code config}, whose {@code @PORT@},
     * {@code @DIR@} and {@code @UPSTREAM@} become {@code port}, a directory under target/ and
     * {@code upstream} ({@code host:port}); returns once it accepts connections.
     */
    static Nginx start(String config, int port, String upstream) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: apt-get install nginx-light (.ci/run does)");
        }
        Path dir = Path.of("target", "nginx-" + port).toAbsolutePath();
        Files.createDirectories(dir.resolve("tmp"));
        String template;
        try (InputStream in = Nginx.class.getResourceAsStream("/" + config)) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, template.replace("@PORT@", Integer.toString(port)).replace("@DIR@", dir.toString())
                .replace("@UPSTREAM@", upstream));
        Process process = new ProcessBuilder(BINARY.toString(), "-c", conf.toString(), "-p", dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        Nginx nginx = new Nginx(process, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nginx exited with " + process.exitValue() + "; see " + dir);
            }
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return nginx;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        nginx.close();
        throw new IllegalStateException("nginx did not listen on " + port + " within 10 s; see " + dir);
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();                       // SIGTERM: nginx exits at once
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
