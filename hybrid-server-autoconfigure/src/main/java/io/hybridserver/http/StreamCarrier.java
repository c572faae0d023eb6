package io.hybridserver.http;

import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSession;

import io.netty.buffer.ByteBuf;

/**
 * What a {@link StreamExchange} is carried by and writes through: the HTTP/2 connection of its stream, or its HTTP/3
 * request stream. The methods that put frames on the wire run on the carrier's event loop, from the exchange's
 * {@link OutboundTask}s; the others are safe from any thread.
 * @param <H> the protocol's form of a response head
 * @param <E> the protocol's exchange
 */
public interface StreamCarrier<H, E extends StreamExchange<H, E>> {

	/** Whether the carrier can still send: the connection (HTTP/2) or the stream (HTTP/3) is open. */
	boolean isOpen();

	/** Whether the caller runs on the carrier's event loop. */
	boolean inEventLoop();

	/** Loop: runs an exchange's task at once, flushing as the response lane would. */
	void runOnLoop(OutboundTask task);

	/** A timer on the carrier's event loop; see {@link ByteBufExchange#schedule}. */
	ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit);

	/** The TLS session, or {@code null} in clear text. */
	SSLSession tlsSession();

	/** The client's address. */
	InetSocketAddress remoteAddress();

	/** The address the client reached. */
	InetSocketAddress localAddress();

	/** Whether exchanges read the clocks for a completion listener, as {@link HttpServerStats#timesExchanges()}. */
	boolean timesExchanges();

	/** Loop: writes a head (if not {@code null}), body bytes (if any) and, when {@code last}, the end of the stream. */
	FlushTarget writePart(E exchange, H head, ByteBuf content, int length, boolean last);

	/** Loop: the exchange failed; its stream alone is reset. */
	FlushTarget abortExchange(E exchange, Throwable cause);

	/** Loop: a {@code 100 Continue} for the exchange, unless its head or one already left. */
	FlushTarget sendContinue(E exchange);

}
