/**
 * Protocol v1 ({@code ticker.v1}, see {@code docs/protocol.md}): the records for every frame a
 * client sends ({@link dev.ticker.stream.protocol.Command}) or receives
 * ({@link dev.ticker.stream.protocol.Event}), and the JSON-P encoders and decoder that turn them
 * into text. Nothing here holds state or touches a session.
 */
package dev.ticker.stream.protocol;
