package dev.ticker.loadgen;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Stand-ins for cluster nodes, as Redis sees them: each one a connection that reads the trade log
 * the way a node's bus reader does ({@code XREAD BLOCK 1000 STREAMS <log> <last id>}, from the
 * newest entry on) and drops what it read. Tens of them on one machine show what each further node
 * costs Redis, which the two or three real nodes a 2-core machine can run cannot.
 *
 * <p>The replies are parsed only as far as the entry IDs: bulk strings longer than
 * {@link Resp#KEEP} bytes (the batches' quotes) are skipped by their length, so a reader costs
 * little beside the Redis it measures.
 */
final class StreamReaders implements AutoCloseable {

    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final LongAdder entries = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private volatile boolean closing;

    /** Starts {@code count} readers of {@code stream} on the Redis at {@code host:port}. */
    StreamReaders(String host, int port, String stream, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setTcpNoDelay(true);
            sockets.add(socket);
            Thread thread = new Thread(() -> read(socket, stream), "stream-reader-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Log entries (batches) all readers have read so far. */
    long entries() {
        return entries.sum();
    }

    /** Bytes of replies all readers have read so far. */
    long bytes() {
        return bytes.sum();
    }

    private void read(Socket socket, String stream) {
        try {
            OutputStream out = socket.getOutputStream();
            Resp in = new Resp(new BufferedInputStream(socket.getInputStream(), 1 << 16));
            String last = "$";
            while (!closing) {
                out.write(Resp.command("XREAD", "BLOCK", "1000", "STREAMS", stream, last));
                out.flush();
                Object reply = in.read();
                bytes.add(in.takeCount());
                if (reply instanceof List<?> streams && !streams.isEmpty()) {
                    List<?> perStream = (List<?>) streams.get(0);
                    List<?> batch = (List<?>) perStream.get(1);
                    entries.add(batch.size());
                    last = (String) ((List<?>) batch.get(batch.size() - 1)).get(0);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                System.out.println("stream reader stopped: " + e);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        for (Thread thread : threads) {
            thread.join(5_000);
        }
    }

    /** Just enough of RESP2 for XREAD: commands out, replies in. */
    static final class Resp {

        /** Bulk strings up to this long are kept (IDs, field names); longer ones are skipped. */
        static final int KEEP = 64;

        private final InputStream in;
        private long count;

        Resp(InputStream in) {
            this.in = in;
        }

        static byte[] command(String... words) {
            StringBuilder text = new StringBuilder().append('*').append(words.length).append("\r\n");
            for (String word : words) {
                byte[] raw = word.getBytes(StandardCharsets.UTF_8);
                text.append('$').append(raw.length).append("\r\n").append(word).append("\r\n");
            }
            return text.toString().getBytes(StandardCharsets.UTF_8);
        }

        /** Bytes read since the last call. */
        long takeCount() {
            long n = count;
            count = 0;
            return n;
        }

        /**
         * One reply: a String (simple or short bulk string), a Long, a List, or null (a null bulk
         * string or array, or a bulk string too long to keep). An error reply throws.
         */
        Object read() throws IOException {
            int type = next();
            String line = line();
            switch (type) {
                case '+':
                    return line;
                case '-':
                    throw new IOException("Redis answered " + line);
                case ':':
                    return Long.parseLong(line);
                case '$': {
                    int length = Integer.parseInt(line);
                    if (length < 0) {
                        return null;
                    }
                    if (length > KEEP) {
                        skip(length + 2L);
                        return null;
                    }
                    byte[] raw = new byte[length];
                    for (int i = 0; i < length; i++) {
                        raw[i] = (byte) next();
                    }
                    next();
                    next();
                    return new String(raw, StandardCharsets.UTF_8);
                }
                case '*': {
                    int length = Integer.parseInt(line);
                    if (length < 0) {
                        return null;
                    }
                    List<Object> items = new ArrayList<>(length);
                    for (int i = 0; i < length; i++) {
                        items.add(read());
                    }
                    return items;
                }
                default:
                    throw new IOException("not RESP2: type byte " + type);
            }
        }

        private String line() throws IOException {
            StringBuilder text = new StringBuilder();
            for (int c = next(); c != '\r'; c = next()) {
                text.append((char) c);
            }
            next();                                     // '\n'
            return text.toString();
        }

        private int next() throws IOException {
            int c = in.read();
            if (c < 0) {
                throw new EOFException();
            }
            count++;
            return c;
        }

        private void skip(long n) throws IOException {
            long left = n;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    next();
                    count--;                            // counted once, below
                    skipped = 1;
                }
                left -= skipped;
            }
            count += n;
        }
    }
}
