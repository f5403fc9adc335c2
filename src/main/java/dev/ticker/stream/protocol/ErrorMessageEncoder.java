package dev.ticker.stream.protocol;

import jakarta.websocket.Encoder;

/**
 * Encodes {@link ErrorMessage}:
 * <pre>{@code
 * {"type":"error","id":5,"seq":14,"ts":1763712011000,"code":"BAD_REQUEST",
 *  "message":"field 'symbols' must be a non-empty array of strings of at most 32 characters"}
 * }</pre>
 */
public final class ErrorMessageEncoder implements Encoder.Text<ErrorMessage> {

    @Override
    public String encode(ErrorMessage event) {
        return Frames.write("error", event.id(), event.seq(), event.ts(), json -> json
                .write("code", event.code().name())
                .write("message", event.message()));
    }
}
