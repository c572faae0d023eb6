package io.hybridserver.boot;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import io.netty.channel.Channel;

import io.hybridserver.transport.UnixSocketFile;

/**
 * A listening socket while the server runs.
 * @param name the name in logs ({@code primary} for {@code server.port})
 * @param channel the listening channel
 * @param socketFile its Unix socket file, or {@code null} for a TCP port
 * @param description what the startup log says of it
 */
record BoundListener(String name, Channel channel, UnixSocketFile socketFile, String description) {

	/** The bound address: an {@link InetSocketAddress}, or the socket file's path for a Unix socket. */
	SocketAddress address() {
		return this.channel.localAddress();
	}

	/** The bound TCP port, or -1 for a Unix socket. */
	int port() {
		return (this.channel.localAddress() instanceof InetSocketAddress inet) ? inet.getPort() : -1;
	}

	/** Stops accepting; the socket file, if any, is removed once the channel is closed. */
	void close() {
		if (this.channel.isOpen()) {
			this.channel.close().syncUninterruptibly();
		}
		if (this.socketFile != null) {
			this.socketFile.remove();
		}
	}

}
