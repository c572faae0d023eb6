/**
 * HTTP/2 (RFC 9113) on the same port as HTTP/1.1: h2c by prior knowledge, h2 over TLS by ALPN. Netty's HTTP/2 codec does
 * the framing, HPACK and flow-control bookkeeping; this package turns each stream into an
 * {@link io.hybridserver.http.Exchange} that travels the route an HTTP/1.1 request travels (request queue, workers,
 * per-loop response lanes), and ties the stream's flow-control windows to what the application consumes and sends.
 */
package io.hybridserver.http.h2;
