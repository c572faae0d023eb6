package io.hybridserver.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.AbstractWebSocketClient;

/**
 * A Spring {@code WebSocketClient} over the JDK's {@link java.net.http.WebSocket}, for Spring's client-side users in
 * tests ({@code WebSocketStompClient}): Spring's own {@code StandardWebSocketClient} needs a Jakarta client container,
 * which only a server's jars (Tomcat's, Jetty's) provide. Messages arrive whole; sends are one at a time, as the JDK
 * client requires.
 */
public final class JdkSpringWebSocketClient extends AbstractWebSocketClient {

	private final HttpClient client;

	public JdkSpringWebSocketClient(HttpClient client) {
		this.client = client;
	}

	@Override
	protected CompletableFuture<WebSocketSession> executeInternal(WebSocketHandler handler, HttpHeaders headers,
			URI uri, List<String> subProtocols, List<WebSocketExtension> extensions, Map<String, Object> attributes) {
		Session session = new Session(uri, handler, attributes);
		WebSocket.Builder builder = this.client.newWebSocketBuilder();
		if (!subProtocols.isEmpty()) {
			builder.subprotocols(subProtocols.get(0),
					subProtocols.subList(1, subProtocols.size()).toArray(new String[0]));
		}
		return builder.buildAsync(uri, session).thenApply((ws) -> session);
	}

	private static final class Session implements WebSocketSession, WebSocket.Listener {

		private final String id = UUID.randomUUID().toString();

		private final URI uri;

		private final WebSocketHandler handler;

		private final Map<String, Object> attributes = new ConcurrentHashMap<>();

		private final StringBuilder text = new StringBuilder();

		private volatile WebSocket ws;

		private volatile boolean open;

		Session(URI uri, WebSocketHandler handler, Map<String, Object> attributes) {
			this.uri = uri;
			this.handler = handler;
			this.attributes.putAll(attributes);
		}

		@Override
		public void onOpen(WebSocket webSocket) {
			this.ws = webSocket;
			this.open = true;
			try {
				this.handler.afterConnectionEstablished(this);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
			webSocket.request(1);
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.text.append(data);
			if (last) {
				String message = this.text.toString();
				this.text.setLength(0);
				try {
					this.handler.handleMessage(this, new TextMessage(message));
				}
				catch (Exception ex) {
					onError(webSocket, ex);
				}
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.open = false;
			try {
				this.handler.afterConnectionClosed(this, new CloseStatus(statusCode, reason));
			}
			catch (Exception ex) {
				// closing anyway
			}
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.open = false;
			try {
				this.handler.handleTransportError(this, error);
			}
			catch (Exception ex) {
				// closing anyway
			}
		}

		@Override
		public synchronized void sendMessage(WebSocketMessage<?> message) throws IOException {
			try {
				if (message instanceof TextMessage textMessage) {
					this.ws.sendText(textMessage.getPayload(), textMessage.isLast()).join();
				}
				else if (message instanceof BinaryMessage binary) {
					this.ws.sendBinary(binary.getPayload(), binary.isLast()).join();
				}
				else if (message instanceof PingMessage ping) {
					this.ws.sendPing(ping.getPayload()).join();
				}
				else if (message instanceof PongMessage pong) {
					this.ws.sendPong(pong.getPayload()).join();
				}
			}
			catch (RuntimeException ex) {
				throw new IOException(ex);
			}
		}

		@Override
		public String getId() {
			return this.id;
		}

		@Override
		public URI getUri() {
			return this.uri;
		}

		@Override
		public HttpHeaders getHandshakeHeaders() {
			return new HttpHeaders();
		}

		@Override
		public Map<String, Object> getAttributes() {
			return this.attributes;
		}

		@Override
		public Principal getPrincipal() {
			return null;
		}

		@Override
		public InetSocketAddress getLocalAddress() {
			return null;
		}

		@Override
		public InetSocketAddress getRemoteAddress() {
			return null;
		}

		@Override
		public String getAcceptedProtocol() {
			WebSocket current = this.ws;
			return (current != null) ? current.getSubprotocol() : null;
		}

		@Override
		public void setTextMessageSizeLimit(int messageSizeLimit) {
		}

		@Override
		public int getTextMessageSizeLimit() {
			return Integer.MAX_VALUE;
		}

		@Override
		public void setBinaryMessageSizeLimit(int messageSizeLimit) {
		}

		@Override
		public int getBinaryMessageSizeLimit() {
			return Integer.MAX_VALUE;
		}

		@Override
		public List<WebSocketExtension> getExtensions() {
			return List.of();
		}

		@Override
		public boolean isOpen() {
			return this.open;
		}

		@Override
		public void close() throws IOException {
			close(CloseStatus.NORMAL);
		}

		@Override
		public void close(CloseStatus status) throws IOException {
			WebSocket current = this.ws;
			if (current != null && !current.isOutputClosed()) {
				current.sendClose(status.getCode(), (status.getReason() != null) ? status.getReason() : "").join();
			}
		}

	}

}
