package io.hybridserver.boot;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;

import io.netty.channel.Channel;

import io.hybridserver.transport.UnixSocketFile;

/**
 * A listening socket while the server runs: one channel, or one per event loop sharing the port with
 * {@code SO_REUSEPORT}.
 * @param name the name in logs ({@code primary} for {@code server.port})
 * @param channels the listening channels (at least one), all bound to the same address
 * @param socketFile its Unix socket file, or {@code null} for a TCP port
 * @param description what the startup log says of it
 */
record BoundListener(String name, List<Channel> channels, UnixSocketFile socketFile, String description) {

	BoundListener {
		channels = List.copyOf(channels);
	}

	/** The bound address: an {@link InetSocketAddress}, or the socket file's path for a Unix socket. */
	SocketAddress address() {
		return this.channels.get(0).localAddress();
	}

	/** The bound TCP port, or -1 for a Unix socket. */
	int port() {
		return (address() instanceof InetSocketAddress inet) ? inet.getPort() : -1;
	}

	/** Stops accepting; the socket file, if any, is removed once the channels are closed. */
	void close() {
		for (Channel channel : this.channels) {
			if (channel.isOpen()) {
				channel.close().syncUninterruptibly();
			}
		}
		if (this.socketFile != null) {
			this.socketFile.remove();
		}
	}

}
