package io.hybridserver.http;

import io.netty.channel.ChannelPipeline;

/**
 * What an HTTP/1.1 connection becomes after a {@code 101 Switching Protocols} (RFC 9110, 15.2.2): the other
 * protocol's handlers, installed on the connection's event loop once the 101 is written and before the HTTP/1.1
 * handlers leave, so that bytes the client sent after its request reach the new protocol, not the HTTP parser.
 *
 * <p>The HTTP layer knows no protocol beyond HTTP; WebSocket ({@code io.hybridserver.websocket}) plugs in here.
 */
@FunctionalInterface
public interface ConnectionUpgrade {

	/**
	 * Runs on the event loop: adds the protocol's handlers right after the handler named {@code after}, which is the
	 * HTTP/1.1 request decoder and is removed next (its buffered bytes go on to the first handler added here). Reading
	 * stays demand-driven ({@code autoRead} off): the new handlers ask for bytes.
	 *
	 * <p>The 101 is written but not flushed: the new protocol flushes it when it is ready to take the client's first
	 * message. A client that learns of the switch only then can count on what the switch promised (a WebSocket
	 * session the application has opened) being in place.
	 */
	void install(ChannelPipeline pipeline, String after);

	/**
	 * The switch will not happen: the connection closed before the 101 could go out, or the request ended without
	 * one (an error, a filter that changed the status). Whatever was reserved for the new protocol (a WebSocket session
	 * slot) is released here, so that a client leaving mid-upgrade cannot leak it. Called at most once instead of
	 * {@link #install}, on any thread; an upgrade that was installed is never abandoned.
	 */
	default void abandon() {
	}

}
