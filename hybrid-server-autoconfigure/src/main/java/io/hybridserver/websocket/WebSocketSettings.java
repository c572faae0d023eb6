package io.hybridserver.websocket;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits of WebSocket connections, one object for all of them ({@code server.hybrid.websocket.*}).
 *
 * @param maxFramePayload the largest frame payload accepted; a bigger frame is answered with close code 1009
 * @param maxMessageSize the largest message (all its frames) delivered whole; a bigger one is answered with 1009
 * @param readBuffer bytes received and not yet handled by the application above which the connection stops reading
 * @param sendBuffer bytes handed to the connection and not yet written to the socket above which asynchronous sends
 *     fail and blocking sends wait
 * @param sendTimeout how long a send may wait for the client to take its bytes before it fails and the connection
 *     closes
 * @param closeTimeout how long to wait for the client's close frame after ours before closing the connection
 * @param idleTimeout the default idle timeout of a session ({@link Duration#ZERO}: none)
 * @param maxSessions the most open WebSocket sessions at once; an upgrade beyond it is refused with 503 (0: no limit)
 */
public record WebSocketSettings(int maxFramePayload, long maxMessageSize, int readBuffer, long sendBuffer,
		Duration sendTimeout, Duration closeTimeout, Duration idleTimeout, int maxSessions) {

	/** The defaults: 64 KiB frames and messages (Tomcat's 8 KiB buffers grow no further than that in practice). */
	public static final WebSocketSettings DEFAULTS = new WebSocketSettings(65536, 65536, 65536, 1024 * 1024,
			Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ZERO, 0);

	public WebSocketSettings {
		if (maxFramePayload <= 0 || maxMessageSize <= 0 || readBuffer <= 0 || sendBuffer <= 0 || maxSessions < 0) {
			throw new IllegalArgumentException("WebSocket sizes must be positive (max-sessions zero or more)");
		}
		Objects.requireNonNull(sendTimeout, "sendTimeout");
		Objects.requireNonNull(closeTimeout, "closeTimeout");
		Objects.requireNonNull(idleTimeout, "idleTimeout");
	}

}
