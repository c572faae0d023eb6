package io.hybridserver.transport;

import java.util.function.Consumer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;

/**
 * The start of every accepted connection's pipeline: the listener's own concerns (the PROXY protocol header, when the
 * listener reads one) before the protocol's handlers, which the given initializer adds.
 */
public final class ListenerChannelInitializer extends ChannelInitializer<Channel> {

	private final ProxyProtocolSettings proxyProtocol;

	private final ConnectionLimiter limiter;

	private final Consumer<ProxyRejection> rejections;

	private final ChannelHandler protocol;

	/**
	 * @param proxyProtocol the listener's PROXY protocol settings
	 * @param limiter where a header's client address is counted against the per-address bound
	 * @param rejections told of every connection closed for its PROXY header
	 * @param protocol a sharable handler (typically an initializer) that adds the protocol's handlers
	 */
	public ListenerChannelInitializer(ProxyProtocolSettings proxyProtocol, ConnectionLimiter limiter,
			Consumer<ProxyRejection> rejections, ChannelHandler protocol) {
		this.proxyProtocol = proxyProtocol;
		this.limiter = limiter;
		this.rejections = rejections;
		this.protocol = protocol;
	}

	@Override
	protected void initChannel(Channel channel) {
		if (this.proxyProtocol.enabled()) {
			channel.pipeline()
				.addLast("proxy-protocol", new ProxyProtocolHandler(this.proxyProtocol, this.limiter, this.rejections));
		}
		channel.pipeline().addLast(this.protocol);
	}

}
