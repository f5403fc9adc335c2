package dev.ticker.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokenFilterTest {

    @Test
    void findsTheTokenInTheQueryDecoded() {
        assertEquals("abc", TokenFilter.fromQuery("token=abc"));
        assertEquals("a+b/c=", TokenFilter.fromQuery("x=1&token=a%2Bb%2Fc%3D&y=2"));
        assertNull(TokenFilter.fromQuery("tokenx=abc"));
        assertNull(TokenFilter.fromQuery(null));
        assertNull(TokenFilter.fromQuery("token=%zz"));
        assertNull(TokenFilter.fromQuery("token=" + "a".repeat(5000)), "an absurd query is not read");
    }

    @Test
    void comparesWholeTokensOnly() {
        assertTrue(TokenFilter.matches("s3cret-token-0123", "s3cret-token-0123"));
        assertFalse(TokenFilter.matches("s3cret-token-012", "s3cret-token-0123"));
        assertFalse(TokenFilter.matches("s3cret-token-01234", "s3cret-token-0123"));
        assertFalse(TokenFilter.matches(null, "s3cret-token-0123"));
        assertFalse(TokenFilter.matches("", "s3cret-token-0123"));
    }
}
