/**
 * HTTP/1.1 (RFC 9112, and HTTP/1.0): every connection's pipeline starts here ({@link Http1PipelineInitializer}), our
 * own strict request decoder, the connection's state machine (pipelining, keep-alive, timers, lingering close), the
 * response encoder and the answers the I/O tier gives itself (400 to 505). Each request becomes an
 * {@link io.hybridserver.http.Exchange}; other protocols take a connection over through
 * {@link io.hybridserver.http.ProtocolNegotiation} (HTTP/2) or {@link io.hybridserver.http.ConnectionUpgrade}
 * (WebSocket).
 */
package io.hybridserver.http.h1;
