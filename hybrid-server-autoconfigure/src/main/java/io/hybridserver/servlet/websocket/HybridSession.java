package io.hybridserver.servlet.websocket;

import java.io.IOException;
import java.net.URI;
import java.security.Principal;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Endpoint;
import jakarta.websocket.Extension;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import jakarta.websocket.server.ServerEndpointConfig;

import io.hybridserver.websocket.WebSocketConnection;
import io.hybridserver.websocket.WebSocketListener;

/**
 * A Jakarta WebSocket {@link Session} over a {@link WebSocketConnection}: the endpoint's callbacks (through the
 * {@link WebSocketListener} methods, on a worker, one at a time), the message handlers, the limits the application
 * may change, and the remote endpoints it sends through.
 */
final class HybridSession implements Session, WebSocketListener {

	private static final Log logger = LogFactory.getLog(HybridSession.class);

	private static final AtomicLong IDS = new AtomicLong();

	private final String id = Long.toHexString(IDS.incrementAndGet());

	private final HybridServerContainer container;

	private final ServerEndpointConfig config;

	private final Endpoint endpoint;

	private final HandshakeRequestView handshake;

	private final Map<String, String> pathParameters;

	private final String subprotocol;

	private final List<Extension> extensions;

	private final Map<String, Object> userProperties;

	private final IncomingMessages messages;

	private final EncoderSet encoders;

	private final BasicRemote basic = new BasicRemote(this);

	private final AsyncRemote async = new AsyncRemote(this);

	private volatile WebSocketConnection connection;

	private volatile boolean closed;

	private volatile long maxIdleTimeout;

	private volatile int maxTextMessageBufferSize;

	private volatile int maxBinaryMessageBufferSize;

	/**
	 * @param addresses what the session's user properties add to the configuration's: the endpoint addresses of the
	 *     handshake (see {@link EndpointAddresses})
	 */
	HybridSession(HybridServerContainer container, ServerEndpointConfig config, Endpoint endpoint,
			HandshakeRequestView handshake, Map<String, String> pathParameters, String subprotocol,
			List<Extension> extensions, Map<String, Object> addresses) {
		this.container = container;
		this.config = config;
		this.endpoint = endpoint;
		this.handshake = handshake;
		this.pathParameters = Collections.unmodifiableMap(
				(pathParameters != null) ? Map.copyOf(pathParameters) : Map.of());
		this.subprotocol = (subprotocol != null) ? subprotocol : "";
		this.extensions = List.copyOf(extensions);
		this.userProperties = new ConcurrentHashMap<>(config.getUserProperties());
		this.userProperties.putAll(addresses);
		this.maxIdleTimeout = container.getDefaultMaxSessionIdleTimeout();
		this.maxTextMessageBufferSize = container.getDefaultMaxTextMessageBufferSize();
		this.maxBinaryMessageBufferSize = container.getDefaultMaxBinaryMessageBufferSize();
		this.messages = new IncomingMessages(this, config);
		this.encoders = new EncoderSet(config);
		this.async.setSendTimeout(container.getDefaultAsyncSendTimeout());
	}

	ServerEndpointConfig config() {
		return this.config;
	}

	WebSocketConnection connection() {
		WebSocketConnection current = this.connection;
		if (current == null) {
			throw new IllegalStateException("The session is not open yet");
		}
		return current;
	}

	EncoderSet encoders() {
		return this.encoders;
	}

	// ---- WebSocketListener: on the session's worker

	@Override
	public void onOpen(WebSocketConnection connection) {
		this.connection = connection;
		this.container.opened(this);
		connection.setIdleTimeout(this.maxIdleTimeout);
		try {
			this.endpoint.onOpen(this, this.config);
		}
		catch (RuntimeException ex) {
			endpointFailed(ex);
		}
		finally {
			// The handlers are known now (onOpen adds them): the loop refuses oversized messages as they arrive.
			syncMessageLimits();
		}
	}

	/**
	 * Tells the loop side how large a whole message this session takes, so that a bigger one is refused with 1009 as
	 * its frames arrive, not after they were joined: the text and binary buffer sizes for whole-message handlers, no
	 * bound for partial handlers (each frame is delivered as it comes) or a kind without a handler (refused with 1003
	 * here).
	 */
	void syncMessageLimits() {
		WebSocketConnection current = this.connection;
		if (current != null) {
			current.limitMessages(this.messages.wholeText() ? this.maxTextMessageBufferSize : Long.MAX_VALUE,
					this.messages.wholeBinary() ? this.maxBinaryMessageBufferSize : Long.MAX_VALUE);
		}
	}

	@Override
	public void onText(byte[] payload, boolean last) {
		try {
			this.messages.onText(payload, last);
		}
		catch (Exception ex) {
			endpointFailed(ex);
		}
	}

	@Override
	public void onBinary(byte[] payload, boolean last) {
		try {
			this.messages.onBinary(payload, last);
		}
		catch (Exception ex) {
			endpointFailed(ex);
		}
	}

	@Override
	public void onPong(byte[] payload) {
		try {
			this.messages.onPong(payload);
		}
		catch (RuntimeException ex) {
			endpointFailed(ex);
		}
	}

	@Override
	public void onError(Throwable cause) {
		try {
			this.endpoint.onError(this, cause);
		}
		catch (RuntimeException ex) {
			logger.warn("The onError callback of WebSocket session " + this.id + " failed", ex);
		}
	}

	@Override
	public void onClose(int code, String reason) {
		this.closed = true;
		this.container.closed(this);
		try {
			this.endpoint.onClose(this, new CloseReason(CloseCodes.getCloseCode(code), reason));
		}
		catch (RuntimeException ex) {
			logger.warn("The onClose callback of WebSocket session " + this.id + " failed", ex);
		}
		finally {
			this.messages.destroy();
			this.encoders.destroy();
		}
	}

	/** An endpoint's message handling threw: it hears of it through onError (Jakarta WebSocket 2.2, 2.1.5). */
	private void endpointFailed(Throwable failure) {
		onError(failure);
	}

	/** A message the session cannot take: closes with {@code code} (1003, 1007, 1009). */
	void closeForProtocol(CloseCodes code, String reason) {
		WebSocketConnection current = this.connection;
		if (current != null) {
			current.close(code.getCode(), reason);
		}
	}

	/** The server is stopping. */
	void goAway() {
		WebSocketConnection current = this.connection;
		if (current != null) {
			current.goAway();
		}
	}

	// ---- Session

	@Override
	public WebSocketContainer getContainer() {
		return this.container;
	}

	@Override
	public <T> void addMessageHandler(Class<T> clazz, MessageHandler.Whole<T> handler) {
		this.messages.add(clazz, handler, false);
		syncMessageLimits();
	}

	@Override
	public <T> void addMessageHandler(Class<T> clazz, MessageHandler.Partial<T> handler) {
		this.messages.add(clazz, handler, true);
		syncMessageLimits();
	}

	@Override
	public void addMessageHandler(MessageHandler handler) {
		if (handler instanceof MessageHandler.Whole<?> whole) {
			this.messages.add(typeOf(handler, MessageHandler.Whole.class), whole, false);
		}
		else if (handler instanceof MessageHandler.Partial<?> partial) {
			this.messages.add(typeOf(handler, MessageHandler.Partial.class), partial, true);
		}
		else {
			throw new IllegalStateException("A message handler is MessageHandler.Whole or MessageHandler.Partial");
		}
		syncMessageLimits();
	}

	private static Class<?> typeOf(MessageHandler handler, Class<?> api) {
		Class<?> type = TypeArguments.of(handler.getClass(), api);
		if (type == null) {
			throw new IllegalStateException("Cannot tell the message type of " + handler.getClass().getName()
					+ " (a lambda, or a type variable): use addMessageHandler(Class, handler)");
		}
		return type;
	}

	@Override
	public Set<MessageHandler> getMessageHandlers() {
		return Collections.unmodifiableSet(this.messages.handlers());
	}

	@Override
	public void removeMessageHandler(MessageHandler handler) {
		this.messages.remove(handler);
		syncMessageLimits();
	}

	@Override
	public String getProtocolVersion() {
		return "13";
	}

	@Override
	public String getNegotiatedSubprotocol() {
		return this.subprotocol;
	}

	@Override
	public List<Extension> getNegotiatedExtensions() {
		return this.extensions;
	}

	@Override
	public boolean isSecure() {
		return "wss".equals(this.handshake.getRequestURI().getScheme());
	}

	@Override
	public boolean isOpen() {
		WebSocketConnection current = this.connection;
		return !this.closed && current != null && current.isOpen();
	}

	@Override
	public long getMaxIdleTimeout() {
		return this.maxIdleTimeout;
	}

	@Override
	public void setMaxIdleTimeout(long milliseconds) {
		this.maxIdleTimeout = milliseconds;
		WebSocketConnection current = this.connection;
		if (current != null) {
			current.setIdleTimeout(milliseconds);
		}
	}

	@Override
	public void setMaxBinaryMessageBufferSize(int length) {
		this.maxBinaryMessageBufferSize = length;
		syncMessageLimits();
	}

	@Override
	public int getMaxBinaryMessageBufferSize() {
		return this.maxBinaryMessageBufferSize;
	}

	@Override
	public void setMaxTextMessageBufferSize(int length) {
		this.maxTextMessageBufferSize = length;
		syncMessageLimits();
	}

	@Override
	public int getMaxTextMessageBufferSize() {
		return this.maxTextMessageBufferSize;
	}

	@Override
	public RemoteEndpoint.Async getAsyncRemote() {
		return this.async;
	}

	@Override
	public RemoteEndpoint.Basic getBasicRemote() {
		return this.basic;
	}

	@Override
	public String getId() {
		return this.id;
	}

	@Override
	public void close() throws IOException {
		close(new CloseReason(CloseCodes.NORMAL_CLOSURE, ""));
	}

	@Override
	public void close(CloseReason closeReason) throws IOException {
		WebSocketConnection current = this.connection;
		if (current != null) {
			current.close(closeReason.getCloseCode().getCode(), closeReason.getReasonPhrase());
		}
	}

	@Override
	public URI getRequestURI() {
		return this.handshake.getRequestURI();
	}

	@Override
	public Map<String, List<String>> getRequestParameterMap() {
		return this.handshake.getParameterMap();
	}

	@Override
	public String getQueryString() {
		return this.handshake.getQueryString();
	}

	@Override
	public Map<String, String> getPathParameters() {
		return this.pathParameters;
	}

	@Override
	public Map<String, Object> getUserProperties() {
		return this.userProperties;
	}

	@Override
	public Principal getUserPrincipal() {
		return this.handshake.getUserPrincipal();
	}

	@Override
	public Set<Session> getOpenSessions() {
		return this.container.openSessions(this.config);
	}

	@Override
	public String toString() {
		return "WebSocket session " + this.id + " " + this.handshake.getRequestURI();
	}

}
