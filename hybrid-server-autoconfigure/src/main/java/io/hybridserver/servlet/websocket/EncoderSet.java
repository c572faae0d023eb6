package io.hybridserver.servlet.websocket;

import java.io.IOException;
import java.io.StringWriter;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import jakarta.websocket.EncodeException;
import jakarta.websocket.Encoder;
import jakarta.websocket.EndpointConfig;

/**
 * A session's encoders for {@code sendObject}: created and initialised with the session, destroyed with it. The
 * first encoder whose type accepts the object wins; strings and boxed primitives go as text, {@link ByteBuffer} and
 * {@code byte[]} as binary, without an encoder (Jakarta WebSocket 2.2, 2.1.3).
 */
final class EncoderSet {

	/** What an object encodes to: a text or a binary message. */
	record Encoded(String text, ByteBuffer binary) {
	}

	private record Entry(Class<?> type, Encoder encoder) {
	}

	private final List<Entry> encoders = new ArrayList<>();

	EncoderSet(EndpointConfig config) {
		for (Class<? extends Encoder> type : config.getEncoders()) {
			Encoder encoder;
			try {
				encoder = type.getConstructor().newInstance();
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException("Cannot create encoder " + type.getName(), ex);
			}
			encoder.init(config);
			this.encoders.add(new Entry(typeOf(encoder.getClass()), encoder));
		}
	}

	private static Class<?> typeOf(Class<?> encoder) {
		for (Class<?> api : List.of(Encoder.Text.class, Encoder.Binary.class, Encoder.TextStream.class,
				Encoder.BinaryStream.class)) {
			Class<?> type = TypeArguments.of(encoder, api);
			if (type != null) {
				return type;
			}
		}
		return Object.class;
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	Encoded encode(Object data) throws IOException, EncodeException {
		for (Entry entry : this.encoders) {
			if (!entry.type().isInstance(data)) {
				continue;
			}
			Encoder encoder = entry.encoder();
			if (encoder instanceof Encoder.Text text) {
				return new Encoded(text.encode(data), null);
			}
			if (encoder instanceof Encoder.Binary binary) {
				return new Encoded(null, binary.encode(data));
			}
			if (encoder instanceof Encoder.TextStream stream) {
				StringWriter writer = new StringWriter();
				stream.encode(data, writer);
				return new Encoded(writer.toString(), null);
			}
			if (encoder instanceof Encoder.BinaryStream stream) {
				ByteArrayOutputStream out = new ByteArrayOutputStream();
				stream.encode(data, out);
				return new Encoded(null, ByteBuffer.wrap(out.toByteArray()));
			}
		}
		if (data instanceof String || data instanceof Number || data instanceof Boolean
				|| data instanceof Character) {
			return new Encoded(data.toString(), null);
		}
		if (data instanceof ByteBuffer buffer) {
			return new Encoded(null, buffer);
		}
		if (data instanceof byte[] bytes) {
			return new Encoded(null, ByteBuffer.wrap(bytes));
		}
		throw new EncodeException(data, "No encoder for " + data.getClass().getName());
	}

	void destroy() {
		for (Entry entry : this.encoders) {
			try {
				entry.encoder().destroy();
			}
			catch (RuntimeException ex) {
				// An encoder failing to clean up must not keep the others from doing so.
			}
		}
	}

}
