/**
 * The Jakarta WebSocket 2.2 server container, a layer of the servlet container: the
 * {@code jakarta.websocket.server.ServerContainer} that Spring's {@code StandardWebSocketUpgradeStrategy} and
 * {@code ServerEndpointExporter} find as a {@code ServletContext} attribute, the opening handshake on top of the
 * servlet request, sessions, remote endpoints, message handlers with decoders and encoders, and annotated
 * {@code @ServerEndpoint}s. Frames, their rules and the connection's life are {@code io.hybridserver.websocket}'s;
 * every callback here runs on a worker, one at a time per session.
 */
package io.hybridserver.servlet.websocket;
