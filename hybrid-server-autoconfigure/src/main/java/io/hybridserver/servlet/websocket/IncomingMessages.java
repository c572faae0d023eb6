package io.hybridserver.servlet.websocket;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;

/**
 * A session's message handlers and what turns frames into the messages they take: at most one handler each for text,
 * binary and pong messages (Jakarta WebSocket 2.2, 2.1.3). Whole-message handlers get the frames joined, up to the
 * session's buffer size (a bigger message closes the session with 1009); partial handlers get each frame, text decoded
 * across frame boundaries so that a code point split between frames arrives whole. Types other than the built-in ones
 * go through the session's decoders. Runs on the session's worker, one frame at a time.
 */
final class IncomingMessages {

	private enum Kind {

		TEXT, BINARY, PONG

	}

	private record Registration(Kind kind, Class<?> type, MessageHandler handler, boolean partial) {
	}

	private final HybridSession session;

	private final List<Decoder> decoders = new ArrayList<>();

	private volatile Registration text;

	private volatile Registration binary;

	private volatile Registration pong;

	private final ByteArrayOutputStream joined = new ByteArrayOutputStream();

	/** The kind of the message being joined or passed on in parts, or null between messages. */
	private Kind receiving;

	private boolean dropping;

	private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
		.onMalformedInput(CodingErrorAction.REPORT)
		.onUnmappableCharacter(CodingErrorAction.REPORT);

	/** Bytes of a code point split at the end of the last frame. */
	private ByteBuffer carry = ByteBuffer.allocate(0);

	IncomingMessages(HybridSession session, EndpointConfig config) {
		this.session = session;
		for (Class<? extends Decoder> type : config.getDecoders()) {
			try {
				Decoder decoder = type.getConstructor().newInstance();
				decoder.init(config);
				this.decoders.add(decoder);
			}
			catch (ReflectiveOperationException ex) {
				throw new IllegalStateException("Cannot create decoder " + type.getName(), ex);
			}
		}
	}

	// ---- registration

	<T> void add(Class<T> type, MessageHandler handler, boolean partial) {
		Kind kind = kindOf(type, partial);
		Registration registration = new Registration(kind, type, handler, partial);
		synchronized (this) {
			Registration existing = switch (kind) {
				case TEXT -> this.text;
				case BINARY -> this.binary;
				case PONG -> this.pong;
			};
			if (existing != null) {
				throw new IllegalStateException("The session already has a " + kind.name().toLowerCase()
						+ " message handler (" + existing.handler() + ")");
			}
			switch (kind) {
				case TEXT -> this.text = registration;
				case BINARY -> this.binary = registration;
				case PONG -> this.pong = registration;
			}
		}
	}

	private Kind kindOf(Class<?> type, boolean partial) {
		if (type == PongMessage.class && !partial) {
			return Kind.PONG;
		}
		if (type == String.class || (!partial && (type == Reader.class || isPrimitiveText(type)))) {
			return Kind.TEXT;
		}
		if (type == ByteBuffer.class || type == byte[].class || (!partial && type == InputStream.class)) {
			return Kind.BINARY;
		}
		if (!partial) {
			for (Decoder decoder : this.decoders) {
				Class<?> decoded = decodedType(decoder);
				if (decoded != null && type.isAssignableFrom(decoded)) {
					return (decoder instanceof Decoder.Text || decoder instanceof Decoder.TextStream) ? Kind.TEXT
							: Kind.BINARY;
				}
			}
		}
		throw new IllegalStateException("No way to deliver " + (partial ? "partial " : "") + "messages of type "
				+ type.getName() + ": add a decoder for it to the endpoint's configuration");
	}

	private static boolean isPrimitiveText(Class<?> type) {
		return type == Boolean.class || type == Byte.class || type == Character.class || type == Short.class
				|| type == Integer.class || type == Long.class || type == Float.class || type == Double.class;
	}

	private static Class<?> decodedType(Decoder decoder) {
		for (Class<?> api : List.of(Decoder.Text.class, Decoder.Binary.class, Decoder.TextStream.class,
				Decoder.BinaryStream.class)) {
			Class<?> type = TypeArguments.of(decoder.getClass(), api);
			if (type != null) {
				return type;
			}
		}
		return null;
	}

	synchronized void remove(MessageHandler handler) {
		if (this.text != null && this.text.handler() == handler) {
			this.text = null;
		}
		if (this.binary != null && this.binary.handler() == handler) {
			this.binary = null;
		}
		if (this.pong != null && this.pong.handler() == handler) {
			this.pong = null;
		}
	}

	/** Whether text messages go to a whole-message handler, which the text buffer size bounds. */
	boolean wholeText() {
		Registration registration = this.text;
		return registration != null && !registration.partial();
	}

	/** Whether binary messages go to a whole-message handler, which the binary buffer size bounds. */
	boolean wholeBinary() {
		Registration registration = this.binary;
		return registration != null && !registration.partial();
	}

	Set<MessageHandler> handlers() {
		Set<MessageHandler> all = new HashSet<>();
		for (Registration registration : new Registration[] { this.text, this.binary, this.pong }) {
			if (registration != null) {
				all.add(registration.handler());
			}
		}
		return all;
	}

	// ---- delivery, on the session's worker

	void onText(byte[] payload, boolean last) throws Exception {
		frame(Kind.TEXT, this.text, payload, last, this.session.getMaxTextMessageBufferSize());
	}

	void onBinary(byte[] payload, boolean last) throws Exception {
		frame(Kind.BINARY, this.binary, payload, last, this.session.getMaxBinaryMessageBufferSize());
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	void onPong(byte[] payload) {
		Registration registration = this.pong;
		if (registration != null) {
			ByteBuffer data = ByteBuffer.wrap(payload);
			((MessageHandler.Whole) registration.handler()).onMessage((PongMessage) () -> data);
		}
	}

	private void frame(Kind kind, Registration registration, byte[] payload, boolean last, int limit)
			throws Exception {
		boolean first = this.receiving == null;
		this.receiving = last ? null : kind;
		if (first) {
			this.dropping = false;
			this.joined.reset();
			this.carry = ByteBuffer.allocate(0);
			this.utf8.reset();
		}
		if (this.dropping) {
			return;
		}
		if (registration == null) {
			// RFC 6455, 7.4.1: 1003, the endpoint cannot accept this kind of data.
			this.dropping = true;
			this.session.closeForProtocol(CloseCodes.CANNOT_ACCEPT, "No handler for " + kind.name().toLowerCase()
					+ " messages");
			return;
		}
		if (registration.partial()) {
			partial(registration, payload, last);
			return;
		}
		if (this.joined.size() + payload.length > limit) {
			this.dropping = true;
			this.session.closeForProtocol(CloseCodes.TOO_BIG, "Message larger than " + limit + " bytes");
			return;
		}
		if (last && this.joined.size() == 0) {
			// A message in one frame, the common case: nothing to join, no copies.
			whole(registration, payload);
			return;
		}
		this.joined.write(payload, 0, payload.length);
		if (last) {
			whole(registration, this.joined.toByteArray());
			this.joined.reset();
		}
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private void partial(Registration registration, byte[] payload, boolean last) throws CharacterCodingException {
		MessageHandler.Partial handler = (MessageHandler.Partial) registration.handler();
		if (registration.kind() == Kind.TEXT) {
			handler.onMessage(decodeText(payload, last), last);
		}
		else if (registration.type() == byte[].class) {
			handler.onMessage(payload, last);
		}
		else {
			handler.onMessage(ByteBuffer.wrap(payload), last);
		}
	}

	/** Decodes a text frame, keeping the bytes of a code point split at its end for the next frame. */
	private String decodeText(byte[] payload, boolean last) throws CharacterCodingException {
		ByteBuffer in = ByteBuffer.allocate(this.carry.remaining() + payload.length);
		in.put(this.carry).put(payload).flip();
		CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
		CoderResult result = this.utf8.decode(in, out, last);
		if (result.isError()) {
			result.throwException();
		}
		if (last) {
			this.utf8.flush(out);
			this.utf8.reset();
		}
		this.carry = ByteBuffer.wrap(new byte[in.remaining()]);
		this.carry.put(in).flip();
		return out.flip().toString();
	}

	@SuppressWarnings({ "unchecked", "rawtypes" })
	private void whole(Registration registration, byte[] bytes) throws Exception {
		MessageHandler.Whole handler = (MessageHandler.Whole) registration.handler();
		Class<?> type = registration.type();
		if (registration.kind() == Kind.TEXT) {
			String message = new String(bytes, StandardCharsets.UTF_8);
			if (type == String.class) {
				handler.onMessage(message);
			}
			else if (type == Reader.class) {
				handler.onMessage(new StringReader(message));
			}
			else if (isPrimitiveText(type)) {
				handler.onMessage(PrimitiveText.parse(type, message));
			}
			else {
				handler.onMessage(decodeText(type, message));
			}
			return;
		}
		if (type == ByteBuffer.class) {
			handler.onMessage(ByteBuffer.wrap(bytes));
		}
		else if (type == byte[].class) {
			handler.onMessage(bytes);
		}
		else if (type == InputStream.class) {
			handler.onMessage(new ByteArrayInputStream(bytes));
		}
		else {
			handler.onMessage(decodeBinary(type, bytes));
		}
	}

	@SuppressWarnings("rawtypes")
	private Object decodeText(Class<?> type, String message) throws Exception {
		for (Decoder decoder : this.decoders) {
			Class<?> decoded = decodedType(decoder);
			if (decoded == null || !type.isAssignableFrom(decoded)) {
				continue;
			}
			if (decoder instanceof Decoder.Text text && text.willDecode(message)) {
				return text.decode(message);
			}
			if (decoder instanceof Decoder.TextStream stream) {
				return stream.decode(new StringReader(message));
			}
		}
		throw new DecodeException(message, "No decoder of the endpoint would decode this message");
	}

	@SuppressWarnings("rawtypes")
	private Object decodeBinary(Class<?> type, byte[] bytes) throws Exception {
		for (Decoder decoder : this.decoders) {
			Class<?> decoded = decodedType(decoder);
			if (decoded == null || !type.isAssignableFrom(decoded)) {
				continue;
			}
			if (decoder instanceof Decoder.Binary binary && binary.willDecode(ByteBuffer.wrap(bytes))) {
				return binary.decode(ByteBuffer.wrap(bytes));
			}
			if (decoder instanceof Decoder.BinaryStream stream) {
				return stream.decode(new ByteArrayInputStream(bytes));
			}
		}
		throw new DecodeException(ByteBuffer.wrap(bytes), "No decoder of the endpoint would decode this message");
	}

	void destroy() {
		for (Decoder decoder : this.decoders) {
			try {
				decoder.destroy();
			}
			catch (RuntimeException ex) {
				// One decoder failing to clean up must not keep the others from doing so.
			}
		}
	}

}
