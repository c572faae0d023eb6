/**
 * HTTP/3 over QUIC: a UDP listener beside the TLS port whose request streams become
 * {@link io.hybridserver.http.Exchange}s on the same dispatcher, request queue and response lanes as HTTP/1.1 and
 * HTTP/2. Netty's QUIC and HTTP/3 codecs do the framing, QPACK and the transport; this package turns their frames
 * into exchanges.
 */
package io.hybridserver.http.h3;
