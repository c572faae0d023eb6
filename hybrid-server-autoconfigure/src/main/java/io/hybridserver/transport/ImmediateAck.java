package io.hybridserver.transport;

import java.net.SocketOption;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringSocketChannel;

/**
 * Makes the kernel acknowledge what a TCP connection has received now, instead of after its delayed-ACK timer (at least
 * 40 ms on Linux), by setting {@code TCP_QUICKACK} once.
 *
 * <p>Why it matters: a client that writes twice in a row without {@code TCP_NODELAY} (Nagle's algorithm, the default
 * for Python's {@code ssl}, and so for requests, httpx and aiohttp) holds its second segment until the first is
 * acknowledged. After a TLS 1.3 handshake with BoringSSL the client's Finished is the last handshake message, the
 * server has nothing to send back (its session tickets went out with its own Finished), so the ACK waits for the timer,
 * and the client's request, written as its own segment right after the handshake, waits with it: 40-50 ms for the first
 * answer. A TLS 1.2 resumed handshake also ends with the client's Finished (not measured). Acknowledging at once when
 * the handshake ends removes that wait.
 *
 * <p>Linux only: epoll, io_uring, and NIO where the JDK offers the option. Elsewhere, and on Unix domain sockets, it
 * does nothing. The option is not sticky: the kernel goes back to delaying ACKs by its own rules, as it should for the
 * request/response traffic that follows.
 */
public final class ImmediateAck {

	private static final ChannelOption<Boolean> NIO_QUICKACK = nioQuickAck();

	private ImmediateAck() {
	}

	/**
	 * Sends the pending acknowledgement of what {@code channel} has received, if the transport can. Call on the
	 * channel's event loop; costs one {@code setsockopt}.
	 * @return whether the transport could ask for it
	 */
	public static boolean acknowledgeNow(Channel channel) {
		ChannelOption<Boolean> option = quickAckOption(channel);
		if (option == null || !channel.isActive()) {
			return false;
		}
		try {
			return channel.config().setOption(option, Boolean.TRUE);
		}
		catch (RuntimeException ex) {
			// An option the kernel refuses costs a delayed ACK at worst, never the connection.
			return false;
		}
	}

	private static ChannelOption<Boolean> quickAckOption(Channel channel) {
		if (channel instanceof EpollSocketChannel) {
			return EpollChannelOption.TCP_QUICKACK;
		}
		if (channel instanceof IoUringSocketChannel) {
			return IoUringChannelOption.TCP_QUICKACK;
		}
		if (channel instanceof NioSocketChannel) {
			return NIO_QUICKACK;
		}
		return null;
	}

	@SuppressWarnings("unchecked")
	private static ChannelOption<Boolean> nioQuickAck() {
		try {
			// jdk.net.ExtendedSocketOptions.TCP_QUICKACK exists on Linux only; looked up so that other platforms load.
			Class<?> options = Class.forName("jdk.net.ExtendedSocketOptions");
			Object option = options.getField("TCP_QUICKACK").get(null);
			return (option != null) ? NioChannelOption.of((SocketOption<Boolean>) option) : null;
		}
		catch (ReflectiveOperationException | LinkageError | RuntimeException ex) {
			return null;
		}
	}

}
