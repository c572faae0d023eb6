/**
 * WebFlux WebSocket on the hybrid server: a Spring {@code RequestUpgradeStrategy} that answers the opening handshake
 * on the reactive adapter's exchange and hands the connection to the loop side ({@code io.hybridserver.websocket}:
 * frame codec, UTF-8 validation, close handshake, deflate, limits, meters), and a reactive {@code WebSocketSession}
 * over that connection. Reading is driven by the subscriber's demand, writing by the connection's send buffer; the
 * application's handlers run on workers, or on each connection's event loop with no hand-off
 * ({@code server.hybrid.reactive.websocket-dispatch}, which follows where the adapter runs its handlers unless set).
 */
package io.hybridserver.reactive.websocket;
