package io.hybridserver.servlet.websocket;

/** Text messages and path parameters as Java primitives' wrappers (Jakarta WebSocket 2.2, 4.3 and 4.7). */
final class PrimitiveText {

	private PrimitiveText() {
	}

	static Object parse(Class<?> type, String text) {
		if (type == String.class) {
			return text;
		}
		if (type == Boolean.class || type == boolean.class) {
			return Boolean.valueOf(text);
		}
		if (type == Byte.class || type == byte.class) {
			return Byte.valueOf(text);
		}
		if (type == Character.class || type == char.class) {
			if (text.length() != 1) {
				throw new IllegalArgumentException("Not one character: " + text);
			}
			return text.charAt(0);
		}
		if (type == Short.class || type == short.class) {
			return Short.valueOf(text);
		}
		if (type == Integer.class || type == int.class) {
			return Integer.valueOf(text);
		}
		if (type == Long.class || type == long.class) {
			return Long.valueOf(text);
		}
		if (type == Float.class || type == float.class) {
			return Float.valueOf(text);
		}
		if (type == Double.class || type == double.class) {
			return Double.valueOf(text);
		}
		throw new IllegalArgumentException("Not a primitive type: " + type.getName());
	}

}
