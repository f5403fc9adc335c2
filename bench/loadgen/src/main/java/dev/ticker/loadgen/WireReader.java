package dev.ticker.loadgen;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Cuts the bytes a server sends on one WebSocket (RFC 6455, section 5) into messages, without
 * decoding them: a text message is handed on as the bytes of its payload, in place where it
 * arrived in one frame, assembled once where the server split it (Tomcat sends messages over
 * 8 KB as two frames). Server frames are never masked, so nothing is unmasked either. In the
 * binary variant ({@code ticker.v1.binary}) the protocol's messages are binary ones and a text
 * message breaks the stream; otherwise binary messages are skipped.
 */
final class WireReader {

    /** What the reader finds, called on the reading thread; the bytes are valid only during the call. */
    interface Handler {
        /** A protocol message's payload: UTF-8 JSON, whether it came as a text or a binary message. */
        void text(byte[] bytes, int offset, int length);

        void ping(byte[] bytes, int offset, int length);

        /** A close frame: its code (1005 when it has none) and reason. */
        void close(int code, String reason);

        /** The bytes are not a WebSocket stream a server may send: the connection must end. */
        void broken(String why);
    }

    /** Larger messages end the connection: the protocol's frames are tens of KB at most. */
    static final int MAX_MESSAGE_BYTES = 16 << 20;

    private byte[] message = new byte[0];
    private int messageLength;
    private final int messageOpcode;            // 0x1 (text) or 0x2 (the binary variant)
    private boolean inMessage;                  // a fragmented message is being assembled
    private boolean inSkipped;                  // a fragmented message of the other kind is being skipped

    /** A reader of the text protocol ({@code binary} false) or of its binary variant. */
    WireReader(boolean binary) {
        this.messageOpcode = binary ? 0x2 : 0x1;
    }

    /**
     * Consumes every complete frame in {@code in} (in read mode) and leaves it positioned at the
     * first byte of an incomplete one. Returns how many bytes the next frame needs in all, or 0 when
     * the buffer holds nothing of one: a caller whose buffer is smaller than that must grow it.
     */
    int read(ByteBuffer in, Handler handler) {
        byte[] bytes = in.array();
        while (in.remaining() >= 2) {
            int at = in.arrayOffset() + in.position();
            int b0 = bytes[at] & 0xFF;
            int b1 = bytes[at + 1] & 0xFF;
            if ((b1 & 0x80) != 0) {
                handler.broken("a masked frame from the server");
                return 0;
            }
            if ((b0 & 0x70) != 0) {
                handler.broken("reserved bits set (an extension nobody negotiated)");
                return 0;
            }
            int header = 2;
            long length = b1 & 0x7F;
            if (length == 126) {
                header = 4;
            } else if (length == 127) {
                header = 10;
            }
            if (in.remaining() < header) {
                return header;
            }
            if (header == 4) {
                length = ((bytes[at + 2] & 0xFF) << 8) | (bytes[at + 3] & 0xFF);
            } else if (header == 10) {
                length = 0;
                for (int i = 2; i < 10; i++) {
                    length = (length << 8) | (bytes[at + i] & 0xFF);
                }
            }
            if (length > MAX_MESSAGE_BYTES) {
                handler.broken("a frame of " + length + " bytes");
                return 0;
            }
            int frame = header + (int) length;
            if (in.remaining() < frame) {
                return frame;
            }
            in.position(in.position() + frame);
            if (!frame(b0 >>> 7 == 1, b0 & 0x0F, bytes, at + header, (int) length, handler)) {
                return 0;
            }
        }
        return in.remaining() == 0 ? 0 : 2;
    }

    private boolean frame(boolean fin, int opcode, byte[] bytes, int offset, int length, Handler handler) {
        if (opcode == 0x1 || opcode == 0x2) {
            if (inMessage || inSkipped) {
                handler.broken("a new message inside a fragmented one");
                return false;
            }
            if (opcode != messageOpcode) {
                if (opcode == 0x1) {
                    handler.broken("a text message in the binary variant");
                    return false;
                }
                inSkipped = !fin;                // protocol v1 sends no binary message; not counted
            } else if (fin) {
                handler.text(bytes, offset, length);
            } else {
                inMessage = true;
                messageLength = 0;
                append(bytes, offset, length);
            }
            return true;
        }
        switch (opcode) {
            case 0x0 -> {
                if (inSkipped) {
                    inSkipped = !fin;
                    return true;
                }
                if (!inMessage) {
                    handler.broken("a continuation frame outside a message");
                    return false;
                }
                if (messageLength + length > MAX_MESSAGE_BYTES) {
                    handler.broken("a message over " + MAX_MESSAGE_BYTES + " bytes");
                    return false;
                }
                append(bytes, offset, length);
                if (fin) {
                    inMessage = false;
                    handler.text(message, 0, messageLength);
                }
            }
            case 0x8 -> {
                int code = length >= 2 ? ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF) : 1005;
                String reason = length > 2 ? new String(bytes, offset + 2, length - 2, java.nio.charset.StandardCharsets.UTF_8) : "";
                handler.close(code, reason);
                return false;
            }
            case 0x9 -> handler.ping(bytes, offset, length);
            case 0xA -> { }
            default -> {
                handler.broken("opcode " + opcode);
                return false;
            }
        }
        return true;
    }

    private void append(byte[] bytes, int offset, int length) {
        if (messageLength + length > message.length) {
            message = Arrays.copyOf(message, Math.max(messageLength + length, Math.max(4096, message.length * 2)));
        }
        System.arraycopy(bytes, offset, message, messageLength, length);
        messageLength += length;
    }
}
