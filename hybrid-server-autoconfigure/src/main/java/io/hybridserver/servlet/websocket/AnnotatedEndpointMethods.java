package io.hybridserver.servlet.websocket;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;

/**
 * The lifecycle and message methods of an annotated endpoint class and how to call each (Jakarta WebSocket 2.2,
 * 4): found once, when the class is deployed, so that a bad signature fails the deployment, not a session.
 */
final class AnnotatedEndpointMethods {

	/** What one parameter of an annotated method receives. */
	enum Source {

		SESSION, CONFIG, CLOSE_REASON, THROWABLE, PATH, MESSAGE, LAST

	}

	/** One parameter: where its value comes from, its type, and the path parameter's name. */
	record Argument(Source source, Class<?> type, String name) {
	}

	/** A method and its parameters; for an {@code @OnMessage}, the message type and whether it takes parts. */
	record Binding(Method method, List<Argument> arguments, Class<?> messageType, boolean partial, long maxSize) {

		Object invoke(Object target, Session session, EndpointConfig config, CloseReason reason, Throwable error,
				Object message, boolean last) throws Throwable {
			Object[] values = new Object[this.arguments.size()];
			Map<String, String> path = session.getPathParameters();
			for (int i = 0; i < values.length; i++) {
				Argument argument = this.arguments.get(i);
				values[i] = switch (argument.source()) {
					case SESSION -> session;
					case CONFIG -> config;
					case CLOSE_REASON -> reason;
					case THROWABLE -> error;
					case MESSAGE -> message;
					case LAST -> last;
					case PATH -> {
						String value = path.get(argument.name());
						yield (value == null) ? null : PrimitiveText.parse(argument.type(), value);
					}
				};
			}
			try {
				return this.method.invoke(target, values);
			}
			catch (java.lang.reflect.InvocationTargetException ex) {
				throw ex.getCause();
			}
		}

	}

	private final Binding onOpen;

	private final Binding onClose;

	private final Binding onError;

	private final List<Binding> onMessage;

	private AnnotatedEndpointMethods(Binding onOpen, Binding onClose, Binding onError, List<Binding> onMessage) {
		this.onOpen = onOpen;
		this.onClose = onClose;
		this.onError = onError;
		this.onMessage = onMessage;
	}

	Binding onOpen() {
		return this.onOpen;
	}

	Binding onClose() {
		return this.onClose;
	}

	Binding onError() {
		return this.onError;
	}

	List<Binding> onMessage() {
		return this.onMessage;
	}

	static AnnotatedEndpointMethods of(Class<?> type) throws DeploymentException {
		Binding open = null;
		Binding close = null;
		Binding error = null;
		List<Binding> messages = new ArrayList<>();
		for (Method method : type.getMethods()) {
			if (Modifier.isStatic(method.getModifiers())) {
				continue;
			}
			if (method.isAnnotationPresent(OnOpen.class)) {
				open = single(open, bind(method, null), OnOpen.class, type);
			}
			if (method.isAnnotationPresent(OnClose.class)) {
				close = single(close, bind(method, null), OnClose.class, type);
			}
			if (method.isAnnotationPresent(OnError.class)) {
				error = single(error, bind(method, null), OnError.class, type);
			}
			OnMessage onMessage = method.getAnnotation(OnMessage.class);
			if (onMessage != null) {
				messages.add(bind(method, onMessage));
			}
		}
		return new AnnotatedEndpointMethods(open, close, error, List.copyOf(messages));
	}

	private static Binding single(Binding existing, Binding found, Class<? extends Annotation> annotation,
			Class<?> type) throws DeploymentException {
		if (existing != null) {
			throw new DeploymentException(type.getName() + " has more than one @" + annotation.getSimpleName()
					+ " method");
		}
		return found;
	}

	private static Binding bind(Method method, OnMessage onMessage) throws DeploymentException {
		List<Argument> arguments = new ArrayList<>();
		Class<?> messageType = null;
		boolean partial = false;
		for (Parameter parameter : method.getParameters()) {
			Class<?> type = parameter.getType();
			PathParam path = parameter.getAnnotation(PathParam.class);
			if (path != null) {
				if (type != String.class && !type.isPrimitive() && !isBoxed(type)) {
					throw new DeploymentException("@PathParam " + path.value() + " of " + method
							+ " must be a String or a primitive type");
				}
				arguments.add(new Argument(Source.PATH, type, path.value()));
			}
			else if (type == Session.class) {
				arguments.add(new Argument(Source.SESSION, type, null));
			}
			else if (onMessage == null && type == EndpointConfig.class) {
				arguments.add(new Argument(Source.CONFIG, type, null));
			}
			else if (onMessage == null && type == CloseReason.class) {
				arguments.add(new Argument(Source.CLOSE_REASON, type, null));
			}
			else if (onMessage == null && Throwable.class.isAssignableFrom(type)) {
				arguments.add(new Argument(Source.THROWABLE, type, null));
			}
			else if (onMessage != null && messageType == null) {
				messageType = type;
				arguments.add(new Argument(Source.MESSAGE, type, null));
			}
			else if (onMessage != null && type == boolean.class && !partial) {
				partial = true;
				arguments.add(new Argument(Source.LAST, type, null));
			}
			else {
				throw new DeploymentException("Parameter " + parameter + " of " + method
						+ " is not one the container can supply");
			}
		}
		if (onMessage != null && messageType == null) {
			throw new DeploymentException(method + " is @OnMessage but takes no message");
		}
		method.setAccessible(true);
		return new Binding(method, List.copyOf(arguments), (messageType != null) ? boxed(messageType) : null,
				partial, (onMessage != null) ? onMessage.maxMessageSize() : -1);
	}

	private static boolean isBoxed(Class<?> type) {
		return type == Boolean.class || type == Byte.class || type == Character.class || type == Short.class
				|| type == Integer.class || type == Long.class || type == Float.class || type == Double.class;
	}

	static Class<?> boxed(Class<?> type) {
		if (!type.isPrimitive()) {
			return type;
		}
		return switch (type.getName()) {
			case "boolean" -> Boolean.class;
			case "byte" -> Byte.class;
			case "char" -> Character.class;
			case "short" -> Short.class;
			case "int" -> Integer.class;
			case "long" -> Long.class;
			case "float" -> Float.class;
			case "double" -> Double.class;
			default -> type;
		};
	}

}
