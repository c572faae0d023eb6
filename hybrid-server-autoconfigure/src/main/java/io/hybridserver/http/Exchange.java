package io.hybridserver.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.function.Supplier;

import javax.net.ssl.SSLSession;

/**
 * One HTTP request and its response: the only object the I/O tier hands to the application tier.
 *
 * <p>The I/O tier creates an exchange on an event loop once a request head has been decoded; a worker thread consumes
 * it. The exchange is protocol-neutral (HTTP/1.1 today, HTTP/2 later) and API-neutral (the servlet container and the
 * reactive adapter both consume it), so nothing here names Netty, Servlet or Spring.
 *
 * <p><b>Threads.</b> Every method is meant for the application tier: one thread at a time, never an event loop, because
 * {@link RequestBody#read} and {@link #write} block while the peer is slow. The exchange ends with {@link #complete()} or
 * {@link #abort(Throwable)}; whoever handles it must reach one of them, now or later (asynchronous processing). Calls
 * after the end are ignored, except {@link #write} and {@link #flush}, which throw.
 *
 * <p><b>Memory.</b> Neither direction is buffered without bound: reading stops while the request body waits for the
 * worker, and {@link #write} blocks while the response bytes not yet taken by the socket exceed a high-water mark.
 */
public interface Exchange {

	/** The request method, exactly as sent (for example {@code GET}). */
	String method();

	/** The request-target as sent, undecoded: path and optional query ({@code /a%20b?x=1}), or an absolute URI. */
	String target();

	/** The protocol version, for example {@code HTTP/1.1}. */
	String protocol();

	/** The request header fields. Read-only: mutators throw {@link UnsupportedOperationException}. */
	HttpFields requestHeaders();

	/** The declared length of the request body, or {@code -1} when it is not known in advance (chunked). */
	long requestContentLength();

	/** The request body; empty when the request has none. */
	RequestBody requestBody();

	/**
	 * The peer's address: the TCP peer, or the client a PROXY protocol header named; loopback port 0 over a Unix
	 * socket. Forwarding headers are the servlet tier's concern.
	 */
	InetSocketAddress remoteAddress();

	/** The local address the connection was accepted on (a PROXY header's destination; loopback over a Unix socket). */
	InetSocketAddress localAddress();

	/**
	 * What the connection's PROXY protocol header carried beyond addresses (its v2 TLVs), by attribute name; empty
	 * when there was none.
	 */
	default Map<String, Object> connectionAttributes() {
		return Map.of();
	}

	/** {@code https} when the connection is encrypted, else {@code http}. */
	String scheme();

	/**
	 * The TLS session of an encrypted connection (protocol, cipher suite, the client's certificates when it sent
	 * some), or {@code null} in clear text.
	 */
	default SSLSession tlsSession() {
		return null;
	}

	/** The response header fields, mutable until {@link #commit}. */
	HttpFields responseHeaders();

	/** Whether the response head has been handed to the I/O tier. */
	boolean isCommitted();

	/**
	 * Sends the response head with the current {@link #responseHeaders()}.
	 * @param status the status code (100-599, not 101)
	 * @param contentLength the exact body length, or {@code -1} to stream a body of unknown length (chunked on HTTP/1.1)
	 * @throws IllegalStateException if already committed
	 */
	void commit(int status, long contentLength);

	/**
	 * Writes response body bytes, copying them; commits a chunked 200 first if nothing was committed. Blocks while the
	 * bytes the socket has not taken yet exceed the connection's high-water mark. For a {@code HEAD} request, or a
	 * status that has no body, the bytes are counted and dropped.
	 * @throws IOException if the connection is gone, or the exchange already ended
	 */
	void write(byte[] bytes, int offset, int length) throws IOException;

	/**
	 * Asks the I/O tier to send what has been written so far without waiting for more.
	 * @throws IOException if the connection is gone, or the exchange already ended
	 */
	void flush() throws IOException;

	/** Ends the response (commits a 200 with no body when nothing was committed). Never blocks. */
	void complete();

	/** Ends the exchange abnormally: the connection is closed without a complete response. Never blocks. */
	void abort(Throwable cause);

	/**
	 * Says that this thread ends the exchange next ({@link #complete()} or {@link #abort}) with only its own bookkeeping
	 * in between, nothing that waits: the container finishing a response. The body bytes it writes until then may be
	 * held back and handed to the I/O tier together with the end, one hand-off instead of two; a flush, a write that
	 * would wait for the client, and the end itself send what is held. Without a call nothing is held back.
	 */
	default void endFollows() {
	}

	/**
	 * Whether {@link #write} would return without waiting for the client now: the bytes not yet taken by the socket
	 * are within the high-water mark. For non-blocking producers (the servlet {@code WriteListener}).
	 */
	default boolean isWritable() {
		return true;
	}

	/**
	 * Asks to be told, once, when {@link #isWritable()} becomes true again (or the connection is gone, so that the
	 * next write fails instead of waiting). Runs the callback at once, on the caller's thread, if it is already true;
	 * otherwise later on an I/O thread, so the callback must only hand work off.
	 */
	default void onWritable(Runnable callback) {
		callback.run();
	}

	/**
	 * Whether {@link #upgrade} can switch this exchange's connection to another protocol: an HTTP/1.1 request that
	 * asked for an upgrade ({@code Upgrade} and {@code Connection: upgrade}), whose response is not committed yet.
	 */
	default boolean canUpgrade() {
		return false;
	}

	/**
	 * The request's trailer fields, read-only: a chunked HTTP/1.1 body's trailer section, or the HEADERS frame that
	 * ends an HTTP/2 stream. Empty when there are none, and until the body has been read to its end
	 * ({@link RequestBody#isFinished()}), which is when they are known.
	 */
	default HttpFields requestTrailers() {
		return NettyHttpFields.EMPTY;
	}

	/**
	 * Whether trailer fields can be sent after this response's body: on HTTP/2 always, on HTTP/1.1 until the head is
	 * committed (the body is then chunked) or when it was committed chunked; never for HTTP/1.0 or a response without
	 * a body.
	 */
	default boolean supportsResponseTrailers() {
		return false;
	}

	/**
	 * Ends the exchange with {@code 101 Switching Protocols} and the current {@link #responseHeaders()}, then hands the
	 * connection to {@code upgrade} on its event loop. Never blocks.
	 * @throws IllegalStateException if the exchange cannot be upgraded ({@link #canUpgrade()} is false)
	 */
	default void upgrade(ConnectionUpgrade upgrade) {
		throw new IllegalStateException("This exchange cannot switch protocols");
	}

	/**
	 * Sends the fields {@code trailers} supplies after the body. Called before the exchange completes; the supplier
	 * is asked once, by the thread that calls {@link #complete()}. On HTTP/1.1 a response committed after this call is
	 * chunked even when its length was known, since only a chunked body can carry trailers.
	 * @throws IllegalStateException if {@link #supportsResponseTrailers()} is false
	 */
	default void responseTrailers(Supplier<Map<String, String>> trailers) {
		throw new IllegalStateException("This response cannot carry trailer fields");
	}

	/** Whether the connection is still open, so that long work for a departed client can stop early. */
	boolean isOpen();

	/**
	 * Asks to be told, once, when the client goes away before this exchange has ended (typically while an
	 * asynchronous request waits for an event): the connection closed, or the client closed its sending side after
	 * the request, which HTTP/1.1 clients still waiting for an answer do not do. The callback runs on an I/O thread, so
	 * it must only hand work off, never block; if the connection is already gone it runs at once, on the caller's
	 * thread. Exchanges that cannot tell ignore it.
	 */
	default void onConnectionLost(Runnable callback) {
	}

	/**
	 * Tells the server who made the request, for the access log ({@code %u}, {@code %S}): the application tier knows
	 * the authenticated user and the session, the I/O tier does not. Call it before {@link #complete()}; either value
	 * may be {@code null}.
	 */
	default void describe(String remoteUser, String sessionId) {
	}

	/**
	 * Whether {@link #describe} and {@link #describeForwardedClient} are heard: an access log records what they say.
	 * When not, the application tier need not work out the user, the session or the forwarded client at all.
	 */
	default boolean wantsDescription() {
		return false;
	}

	/**
	 * Tells the server the client address a trusted proxy reported for this request
	 * ({@code server.forward-headers-strategy=native}), for the access log's {@code %a} and {@code %h} with
	 * {@code server.hybrid.accesslog.request-attributes-enabled}: the application tier reads forwarding headers, the
	 * I/O tier does not. Call it before {@link #complete()}; {@code null} when no proxy said.
	 */
	default void describeForwardedClient(String remoteAddress) {
	}

}
