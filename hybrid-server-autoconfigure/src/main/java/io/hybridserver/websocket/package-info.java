/**
 * WebSocket (RFC 6455) on the I/O tier: what an HTTP/1.1 connection becomes after its {@code 101}. Frames are decoded
 * and encoded on the connection's event loop by Netty's WebSocket codec, with UTF-8 validation of text frames and
 * strict masking; the close handshake, ping/pong, idle and close timeouts are kept here. What frames mean to an
 * application is the business of a {@link io.hybridserver.websocket.WebSocketListener}, which this package calls on
 * worker threads, one event at a time per connection, never on the loop. Knows neither Servlet nor Jakarta WebSocket.
 */
package io.hybridserver.websocket;
