package io.hybridserver.http;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What an {@link ExchangeCompletionListener} may read of an exchange that has just ended, HTTP/1.1 or HTTP/2, servlet
 * or reactive alike. Read it during the callback only: it is the live exchange, not a copy, and the connection goes on
 * with its next request once the listener returns.
 */
public interface CompletedExchange {

	/**
	 * Whether the request line was read: {@code false} for a request the I/O tier refused because its head was
	 * malformed, too long or never arrived, whose method, target and protocol are then {@code null}.
	 */
	default boolean requestLineRead() {
		return true;
	}

	/** The request method, exactly as sent. */
	String method();

	/** The request-target as sent, undecoded: path and optional query. */
	String target();

	/** The protocol version, for example {@code HTTP/1.1} or {@code HTTP/2.0}. */
	String protocol();

	/** {@code https} or {@code http}. */
	String scheme();

	/**
	 * The client address a trusted proxy reported in forwarding headers, as the application tier resolved it (see
	 * {@link Exchange#describeForwardedClient}), or {@code null}.
	 */
	default String forwardedRemoteAddress() {
		return null;
	}

	/** The TCP peer's address, or the PROXY protocol header's source. */
	InetSocketAddress remoteAddress();

	/** The address the connection was accepted on. */
	InetSocketAddress localAddress();

	/** The status committed (200 when the exchange ended before committing anything). */
	int status();

	/** Whether the exchange ended without a complete response (connection or stream closed, application failure). */
	boolean aborted();

	/** Response body bytes handed to the connection, after compression; 0 for HEAD and bodyless statuses. */
	long bodyBytes();

	/** When the request head was decoded, in milliseconds since the epoch. */
	long startMillis();

	/** Time from the request head being decoded to the end of the exchange, in nanoseconds. */
	long durationNanos();

	/** Time from the request head being decoded to the response being committed, in nanoseconds; -1 if never. */
	long commitNanos();

	/** A request header's values in order, empty when it is absent. */
	List<String> requestHeaders(String name);

	/** A response header's values in order, empty when it is absent. */
	List<String> responseHeaders(String name);

	/** The authenticated user the application tier named (see {@link Exchange#describe}), or {@code null}. */
	String remoteUser();

	/** The session the application tier named (see {@link Exchange#describe}), or {@code null}. */
	String sessionId();

	/** The name of the thread that ended the exchange (a worker, or an event loop for reactive event-loop mode). */
	String threadName();

	/** Whether the connection stays open for another request after this one (HTTP/2: while the connection lives). */
	boolean keepAlive();

}
