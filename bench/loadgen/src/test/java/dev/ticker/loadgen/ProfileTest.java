package dev.ticker.loadgen;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileTest {

    @TempDir
    Path dir;

    @Test
    void sharesAreCountedByPartAndByKernelOrUser() throws Exception {
        Path collapsed = dir.resolve("p.collapsed");
        Files.writeString(collapsed, String.join("\n",
                "java/lang/Thread.run;dev/ticker/stream/Flusher.flush;dev/ticker/stream/Connection.visit 30",
                "org/xnio/nio/WorkerThread.run;sun/nio/ch/IOUtil.write;writev;tcp_sendmsg_[k] 50",
                "start_thread;CompileBroker::compiler_thread_loop;C2Compiler::compile_method 15",
                "start_thread;something_else 5", ""));
        String summary = Profile.read(collapsed).summary("cpu");
        assertTrue(summary.contains("100 samples (10 ms each: 1.0 s of CPU)"), summary);
        assertTrue(summary.contains("  30.0%   30.0%    0.0%  Ticker flush"), summary);
        assertTrue(summary.contains("  50.0%    0.0%   50.0%  container I/O threads"), summary);
        assertTrue(summary.contains("  15.0%   15.0%    0.0%  JIT compiler"), summary);
        assertTrue(summary.contains("   5.0%    5.0%    0.0%  other"), summary);
        assertTrue(summary.contains(" 100.0%   50.0%   50.0%  all"), summary);
        assertTrue(summary.contains("  50.0%  tcp_sendmsg_[k]"), summary);
        assertTrue(summary.contains("  50.0%  sun/nio/ch/IOUtil.write"), summary);
    }

    @Test
    void allocationsAreCountedByTypeAndSite() throws Exception {
        Path collapsed = dir.resolve("a.collapsed");
        Files.writeString(collapsed, String.join("\n",
                "io/undertow/websockets/core/WebSockets.sendText;java/lang/String.getBytes;java/util/Arrays.copyOf;byte[]_[i] 3",
                "dev/ticker/stream/protocol/TicksEncoder.encode;java/lang/StringConcatHelper.newArray;byte[]_[i] 1", ""));
        String summary = Profile.read(collapsed).summary("alloc");
        assertTrue(summary.contains(" 100.0%  byte[]_[i]"), summary);
        assertTrue(summary.contains("  75.0%  byte[]_[i]  in java/util/Arrays.copyOf  for io/undertow/websockets/core/WebSockets.sendText"),
                summary);
        assertTrue(summary.contains("  25.0%  byte[]_[i]  in java/lang/StringConcatHelper.newArray  for dev/ticker/stream/protocol/TicksEncoder.encode"),
                summary);
    }

    @Test
    void anUnknownEventIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Profile.startCommand("cycles"));
    }
}
