package io.hybridserver.transport;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.kqueue.KQueueDatagramChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.kqueue.KQueue;
import io.netty.channel.kqueue.KQueueIoHandler;
import io.netty.channel.kqueue.KQueueServerDomainSocketChannel;
import io.netty.channel.kqueue.KQueueServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerDomainSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;

/**
 * A transport that is known to work here: how to make its event loops and which server channel goes with them.
 * Obtain one with {@link #select(TransportKind)}.
 */
public final class Transport {

	private final TransportKind kind;

	private final Supplier<IoHandlerFactory> ioHandlerFactory;

	private final Class<? extends ServerChannel> serverChannelType;

	private final Class<? extends ServerChannel> domainServerChannelType;

	private Transport(TransportKind kind, Supplier<IoHandlerFactory> ioHandlerFactory,
			Class<? extends ServerChannel> serverChannelType, Class<? extends ServerChannel> domainServerChannelType) {
		this.kind = kind;
		this.ioHandlerFactory = ioHandlerFactory;
		this.serverChannelType = serverChannelType;
		this.domainServerChannelType = domainServerChannelType;
	}

	/**
	 * Resolves the requested transport. {@link TransportKind#AUTO} never fails: it falls back to NIO. A named native
	 * transport that cannot load fails with its native cause rather than silently running on something slower.
	 * @throws TransportUnavailableException if a named transport cannot run here
	 */
	public static Transport select(TransportKind requested) {
		switch (requested) {
			case AUTO:
				if (available(Epoll::isAvailable)) {
					return epoll();
				}
				if (available(KQueue::isAvailable)) {
					return kqueue();
				}
				return nio();
			case EPOLL:
				require(requested, Epoll::isAvailable, Epoll::unavailabilityCause);
				return epoll();
			case IO_URING:
				require(requested, IoUring::isAvailable, IoUring::unavailabilityCause);
				return new Transport(TransportKind.IO_URING, IoUringIoHandler::newFactory, IoUringServerSocketChannel.class,
						IoUringServerDomainSocketChannel.class);
			case KQUEUE:
				require(requested, KQueue::isAvailable, KQueue::unavailabilityCause);
				return kqueue();
			case NIO:
				return nio();
			default:
				throw new IllegalArgumentException("Unknown transport " + requested);
		}
	}

	private static Transport epoll() {
		return new Transport(TransportKind.EPOLL, EpollIoHandler::newFactory, EpollServerSocketChannel.class,
				EpollServerDomainSocketChannel.class);
	}

	private static Transport kqueue() {
		return new Transport(TransportKind.KQUEUE, KQueueIoHandler::newFactory, KQueueServerSocketChannel.class,
				KQueueServerDomainSocketChannel.class);
	}

	private static Transport nio() {
		// Java 16+ Unix sockets (java.net.UnixDomainSocketAddress): this project's minimum is 17.
		return new Transport(TransportKind.NIO, NioIoHandler::newFactory, NioServerSocketChannel.class,
				NioServerDomainSocketChannel.class);
	}

	private static boolean available(BooleanSupplier probe) {
		try {
			return probe.getAsBoolean();
		}
		catch (LinkageError ex) {
			// The transport's classes jar is present but its native part is not: treat as unavailable.
			return false;
		}
	}

	private static void require(TransportKind kind, BooleanSupplier probe, Supplier<Throwable> cause) {
		Throwable reason;
		try {
			if (probe.getAsBoolean()) {
				return;
			}
			reason = cause.get();
		}
		catch (LinkageError ex) {
			reason = ex;
		}
		throw new TransportUnavailableException(kind, reason);
	}

	/** Which transport this is (never {@link TransportKind#AUTO}). */
	public TransportKind kind() {
		return this.kind;
	}

	/** The lower-case name used in configuration and logs, for example {@code epoll}. */
	public String displayName() {
		return this.kind.name().toLowerCase().replace('_', '-');
	}

	/** A new group of {@code threads} event loops of this transport. */
	public EventLoopGroup newEventLoopGroup(int threads, ThreadFactory threadFactory) {
		return new MultiThreadIoEventLoopGroup(threads, threadFactory, this.ioHandlerFactory.get());
	}

	/**
	 * Whether several listening sockets may share one TCP port ({@code SO_REUSEPORT}), the kernel spreading new
	 * connections over them: Linux's epoll and io_uring. (kqueue has the option, but the BSDs and macOS hand every
	 * connection to the last socket bound rather than spreading them; NIO has no portable way to set it.)
	 */
	public boolean supportsReusePort() {
		return this.kind == TransportKind.EPOLL || this.kind == TransportKind.IO_URING;
	}

	/** The Unix domain socket server channel class that runs on this transport's loops. */
	public Class<? extends ServerChannel> domainServerChannelType() {
		return this.domainServerChannelType;
	}

	/**
	 * The address to bind a Unix domain socket at {@code path}: Netty's {@code DomainSocketAddress} for the native
	 * transports, the JDK's {@code UnixDomainSocketAddress} for NIO.
	 */
	public SocketAddress unixSocketAddress(Path path) {
		return (this.kind == TransportKind.NIO) ? UnixDomainSocketAddress.of(path)
				: new DomainSocketAddress(path.toString());
	}

	/** The server channel class that runs on this transport's loops. */
	public Class<? extends ServerChannel> serverChannelType() {
		return this.serverChannelType;
	}

	/**
	 * The UDP channel class that runs on this transport's loops, for QUIC (HTTP/3): chosen by kind, since only the
	 * listener that needs it should load it.
	 */
	public Class<? extends DatagramChannel> datagramChannelType() {
		return switch (this.kind) {
			case EPOLL -> EpollDatagramChannel.class;
			case IO_URING -> IoUringDatagramChannel.class;
			case KQUEUE -> KQueueDatagramChannel.class;
			default -> NioDatagramChannel.class;
		};
	}

}
