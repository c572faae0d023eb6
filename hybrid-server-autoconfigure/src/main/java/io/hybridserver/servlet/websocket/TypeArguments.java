package io.hybridserver.servlet.websocket;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * The class a generic interface is bound to by an implementation, for the message type of a
 * {@code MessageHandler.Whole<T>} or the object type of an {@code Encoder.Text<T>}: what the container must know to
 * route a message, since the API gives it only the handler instance.
 */
final class TypeArguments {

	private TypeArguments() {
	}

	/** The first type argument of {@code target} as {@code type} implements it, or {@code null} if not a class. */
	static Class<?> of(Class<?> type, Class<?> target) {
		for (Class<?> current = type; current != null && current != Object.class; current = current.getSuperclass()) {
			Class<?> found = search(current, target);
			if (found != null) {
				return found;
			}
		}
		return null;
	}

	private static Class<?> search(Class<?> type, Class<?> target) {
		for (Type candidate : type.getGenericInterfaces()) {
			Class<?> raw = raw(candidate);
			if (raw == target && candidate instanceof ParameterizedType parameterized) {
				Type argument = parameterized.getActualTypeArguments()[0];
				return raw(argument);
			}
			if (raw != null && target.isAssignableFrom(raw)) {
				Class<?> found = search(raw, target);
				if (found != null) {
					return found;
				}
			}
		}
		return null;
	}

	private static Class<?> raw(Type type) {
		if (type instanceof Class<?> cls) {
			return cls;
		}
		if (type instanceof ParameterizedType parameterized && parameterized.getRawType() instanceof Class<?> cls) {
			return cls;
		}
		return null;
	}

}
