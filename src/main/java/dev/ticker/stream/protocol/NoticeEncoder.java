package dev.ticker.stream.protocol;

import jakarta.websocket.Encoder;

/**
 * Encodes {@link Notice}:
 * <pre>{@code
 * {"type":"notice","seq":7,"ts":1763712000000,"reason":"draining","closesAt":1763712004200,"drainMs":5000,
 *  "message":"this server is going away; connect again"}
 * }</pre>
 */
public final class NoticeEncoder implements Encoder.Text<Notice> {

    @Override
    public String encode(Notice notice) {
        return Frames.write("notice", null, notice.seq(), notice.ts(), json -> json
                .write("reason", notice.reason())
                .write("closesAt", notice.closesAt())
                .write("drainMs", notice.drainMs())
                .write("message", notice.message()));
    }
}
