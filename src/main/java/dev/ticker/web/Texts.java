package dev.ticker.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** How client-supplied text reaches a log, and how a refusal reaches the client. */
final class Texts {

    /** Longest client-supplied text a log line shows. */
    static final int LOG_MAX = 64;

    private Texts() {
    }

    /**
     * {@code text} fit for a log line: quoted, at most {@value #LOG_MAX} characters, control and
     * non-ASCII characters as {@code ?}, so a client cannot forge log lines or flood the log.
     */
    static String forLog(String text) {
        if (text == null) {
            return "(none)";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), LOG_MAX) + 8).append('"');
        for (int i = 0; i < text.length() && i < LOG_MAX; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
        }
        out.append('"');
        if (text.length() > LOG_MAX) {
            out.append("...(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }

    /** Answers {@code status} with a short plain-text {@code message} (never anything the client sent). */
    static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.getWriter().write(message + "\n");
    }
}
