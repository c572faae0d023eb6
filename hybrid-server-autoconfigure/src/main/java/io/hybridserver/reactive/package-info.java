/**
 * The WebFlux {@code HttpHandler} adapter: serves a reactive Spring application from the same exchanges the servlet
 * container consumes. Buffers cross between Netty and Spring's {@code DataBuffer}s without copies, and Reactive Streams
 * demand drives both directions: the request body is read from the socket only as fast as the handler asks for it, and
 * the response publisher is asked for more only while the connection drains.
 */
package io.hybridserver.reactive;
