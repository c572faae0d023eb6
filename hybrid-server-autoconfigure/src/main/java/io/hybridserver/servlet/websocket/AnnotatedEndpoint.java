package io.hybridserver.servlet.websocket;

import java.io.IOException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import jakarta.websocket.CloseReason;
import jakarta.websocket.EncodeException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;

/**
 * An annotated endpoint instance seen as a programmatic {@link Endpoint}: its {@code @OnMessage} methods become the
 * session's message handlers, and what such a method returns is sent back as a message (Jakarta WebSocket 2.2, 4.7).
 * A method that throws is reported to the {@code @OnError} method; without one, it is logged.
 */
final class AnnotatedEndpoint extends Endpoint {

	private static final Log logger = LogFactory.getLog(AnnotatedEndpoint.class);

	private final Object target;

	private final AnnotatedEndpointMethods methods;

	private EndpointConfig config;

	AnnotatedEndpoint(Object target, AnnotatedEndpointMethods methods) {
		this.target = target;
		this.methods = methods;
	}

	@Override
	public void onOpen(Session session, EndpointConfig config) {
		this.config = config;
		for (AnnotatedEndpointMethods.Binding binding : this.methods.onMessage()) {
			register(session, binding);
		}
		if (this.methods.onOpen() != null) {
			call(session, this.methods.onOpen(), null, null, null, false);
		}
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private void register(Session session, AnnotatedEndpointMethods.Binding binding) {
		Class type = binding.messageType();
		if (binding.maxSize() > 0) {
			int max = (int) Math.min(Integer.MAX_VALUE, binding.maxSize());
			if (type == java.nio.ByteBuffer.class || type == byte[].class || type == java.io.InputStream.class) {
				session.setMaxBinaryMessageBufferSize(max);
			}
			else {
				session.setMaxTextMessageBufferSize(max);
			}
		}
		if (binding.partial()) {
			session.addMessageHandler(type, (MessageHandler.Partial) (message, last) -> reply(session,
					call(session, binding, null, null, message, last)));
		}
		else {
			session.addMessageHandler(type, (MessageHandler.Whole) (message) -> reply(session,
					call(session, binding, null, null, message, false)));
		}
	}

	private void reply(Session session, Object result) {
		if (result == null || !session.isOpen()) {
			return;
		}
		try {
			session.getBasicRemote().sendObject(result);
		}
		catch (IOException | EncodeException ex) {
			onError(session, ex);
		}
	}

	private Object call(Session session, AnnotatedEndpointMethods.Binding binding, CloseReason reason,
			Throwable error, Object message, boolean last) {
		try {
			return binding.invoke(this.target, session, this.config, reason, error, message, last);
		}
		catch (Throwable failure) {
			if (failure instanceof VirtualMachineError fatal) {
				throw fatal;
			}
			if (binding == this.methods.onError()) {
				logger.warn("The @OnError method of " + this.target.getClass().getName() + " failed", failure);
			}
			else {
				onError(session, failure);
			}
			return null;
		}
	}

	@Override
	public void onClose(Session session, CloseReason closeReason) {
		if (this.methods.onClose() != null) {
			call(session, this.methods.onClose(), closeReason, null, null, false);
		}
	}

	@Override
	public void onError(Session session, Throwable throwable) {
		if (this.methods.onError() != null) {
			call(session, this.methods.onError(), null, throwable, null, false);
		}
		else {
			logger.warn("WebSocket endpoint " + this.target.getClass().getName() + " has no @OnError method for",
					throwable);
		}
	}

}
