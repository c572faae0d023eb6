package io.hybridserver.transport;

import java.util.function.Consumer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;

/**
 * The start of every accepted connection's pipeline: the listener's own concerns (the PROXY protocol header, when the
 * listener reads one; the choice between TLS and clear text, when it detects the protocol) before the protocol's
 * handlers, which the given initializer adds.
 */
public final class ListenerChannelInitializer extends ChannelInitializer<Channel> {

	private final ProxyProtocolSettings proxyProtocol;

	private final ConnectionLimiter limiter;

	private final Consumer<ProxyRejection> rejections;

	private final ChannelHandler protocol;

	private final ProtocolDetectionSettings detection;

	private final ChannelHandler clearProtocol;

	private final Runnable detectionFailures;

	/**
	 * @param proxyProtocol the listener's PROXY protocol settings
	 * @param limiter where a header's client address is counted against the per-address bound
	 * @param rejections told of every connection closed for its PROXY header
	 * @param protocol a sharable handler (typically an initializer) that adds the protocol's handlers
	 */
	public ListenerChannelInitializer(ProxyProtocolSettings proxyProtocol, ConnectionLimiter limiter,
			Consumer<ProxyRejection> rejections, ChannelHandler protocol) {
		this(proxyProtocol, limiter, rejections, protocol, ProtocolDetectionSettings.OFF, null, null);
	}

	/**
	 * A listener that may detect the protocol.
	 * @param proxyProtocol the listener's PROXY protocol settings
	 * @param limiter where a header's client address is counted against the per-address bound
	 * @param rejections told of every connection closed for its PROXY header
	 * @param protocol a sharable handler (typically an initializer) that adds the listener's protocol: TLS when it
	 * detects
	 * @param detection whether the first bytes choose between {@code protocol} and {@code clearProtocol}
	 * @param clearProtocol what clear-text connections get when detecting, else unused
	 * @param detectionFailures told of every connection closed because its first bytes did not tell in time
	 */
	public ListenerChannelInitializer(ProxyProtocolSettings proxyProtocol, ConnectionLimiter limiter,
			Consumer<ProxyRejection> rejections, ChannelHandler protocol, ProtocolDetectionSettings detection,
			ChannelHandler clearProtocol, Runnable detectionFailures) {
		this.proxyProtocol = proxyProtocol;
		this.limiter = limiter;
		this.rejections = rejections;
		this.protocol = protocol;
		this.detection = detection;
		this.clearProtocol = clearProtocol;
		this.detectionFailures = detectionFailures;
		if (detection.enabled() && clearProtocol == null) {
			throw new IllegalArgumentException("protocol detection needs a clear-text protocol to choose");
		}
	}

	@Override
	protected void initChannel(Channel channel) {
		if (this.proxyProtocol.enabled()) {
			channel.pipeline()
				.addLast("proxy-protocol", new ProxyProtocolHandler(this.proxyProtocol, this.limiter, this.rejections));
		}
		if (this.detection.enabled()) {
			channel.pipeline()
				.addLast("protocol-detection", new ProtocolDetector(this.detection, this.protocol, this.clearProtocol,
						this.detectionFailures));
		}
		else {
			channel.pipeline().addLast(this.protocol);
		}
	}

}
