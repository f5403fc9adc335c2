package dev.ticker.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginFilterTest {

    @Test
    void sameHostAndPortIsAllowed() {
        assertTrue(OriginFilter.allowed("http://localhost:8080", "localhost:8080", List.of()));
        assertTrue(OriginFilter.allowed("https://ticker.example.com", "ticker.example.com", List.of()));
        assertTrue(OriginFilter.allowed("https://Ticker.Example.com:443", "ticker.example.com:443", List.of()));
    }

    @Test
    void anotherHostOrPortIsRefused() {
        assertFalse(OriginFilter.allowed("https://evil.example", "localhost:8080", List.of()));
        assertFalse(OriginFilter.allowed("http://localhost:9999", "localhost:8080", List.of()));
        assertFalse(OriginFilter.allowed("http://localhost.evil.example:8080", "localhost:8080", List.of()));
        assertFalse(OriginFilter.allowed("null", "localhost:8080", List.of()));
        assertFalse(OriginFilter.allowed("http://localhost:8080", null, List.of()));
    }

    @Test
    void listedOriginsAndStarAreAllowed() {
        assertTrue(OriginFilter.allowed("https://dash.example.com", "api.example.com", List.of("https://dash.example.com")));
        assertTrue(OriginFilter.allowed("HTTPS://DASH.example.com:443", "api.example.com", List.of("https://dash.example.com")));
        assertFalse(OriginFilter.allowed("http://dash.example.com", "api.example.com", List.of("https://dash.example.com")));
        assertTrue(OriginFilter.allowed("null", "api.example.com", List.of("*")));
    }

    @Test
    void originsAreRecognizedAndNormalized() {
        assertTrue(OriginFilter.isOrigin("https://a.example:8443"));
        assertFalse(OriginFilter.isOrigin("https://a.example/path"));
        assertFalse(OriginFilter.isOrigin("ftp://a.example"));
        assertFalse(OriginFilter.isOrigin("a.example"));
        assertEquals("http://a.example", OriginFilter.normalize("HTTP://A.Example:80"));
        assertEquals("https://a.example:8443", OriginFilter.normalize("https://a.example:8443"));
    }
}
