package io.hybridserver.websocket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The server's side of the opening handshake's arithmetic (RFC 6455, 4.2): which keys are well formed and what the
 * {@code Sec-WebSocket-Accept} answer to one is. The checks of method, headers and version belong to whoever answers
 * the HTTP request, since that decides the status of a refusal.
 */
public final class WebSocketHandshake {

	/** The only version this server speaks (RFC 6455, 4.4); a request for another is answered 426 naming it. */
	public static final String VERSION = "13";

	private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

	private WebSocketHandshake() {
	}

	/** Whether {@code key} is the base64 encoding of 16 bytes, as a client's nonce must be. */
	public static boolean isValidKey(String key) {
		if (key == null || key.length() != 24) {
			return false;
		}
		try {
			return Base64.getDecoder().decode(key).length == 16;
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/** The {@code Sec-WebSocket-Accept} value for a client's {@code Sec-WebSocket-Key}. */
	public static String accept(String key) {
		try {
			MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
			byte[] digest = sha1.digest((key.trim() + GUID).getBytes(StandardCharsets.US_ASCII));
			return Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is required of every Java platform", ex);
		}
	}

}
