package io.hybridserver.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ProtocolDetectionResult;
import io.netty.handler.codec.ProtocolDetectionState;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Reads the PROXY protocol header (v1 or v2) at the start of a connection, first in its pipeline, and then steps
 * aside. Netty's {@link HAProxyMessageDecoder} parses; this handler decides:
 * <ol>
 * <li>at connection start, a listener that requires a header refuses a peer outside the trusted sources at once;</li>
 * <li>the first bytes are matched against the two signatures; without one, an optional listener serves the bytes as
 * they are and a required one closes;</li>
 * <li>with one, a peer outside the trusted sources is refused without reading further; otherwise the decoder is put
 * in front and fed, and the header's addresses become the connection's ({@link ConnectionAddresses}), its TLVs
 * request attributes ({@link ProxyHeaderAttributes}), and its client address is counted against the per-address
 * bound;</li>
 * <li>a malformed header (the decoder's error), a client that half-closes before the header ends, or a header
 * slower than its timeout closes the connection and is counted.</li>
 * </ol>
 * The child channel does not read by itself ({@code autoRead} is off): while the header is incomplete this handler
 * asks for the next read and keeps the read-complete event from the handlers behind it, which wait for a request.
 */
public final class ProxyProtocolHandler extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog(ProxyProtocolHandler.class);

	private static final String DECODER_NAME = "proxy-protocol-decoder";

	private enum State {

		DETECTING, DECODING, DONE

	}

	private final ProxyProtocolSettings settings;

	private final ConnectionLimiter limiter;

	private final Consumer<ProxyRejection> rejections;

	private State state = State.DETECTING;

	private ByteBuf cumulation;

	private ScheduledFuture<?> timeout;

	/**
	 * @param settings the listener's PROXY protocol settings (not {@link ProxyProtocolMode#OFF})
	 * @param limiter where the header's client address is counted, or {@code null} for no per-address bound
	 * @param rejections told each time a connection is closed for its header
	 */
	public ProxyProtocolHandler(ProxyProtocolSettings settings, ConnectionLimiter limiter,
			Consumer<ProxyRejection> rejections) {
		this.settings = settings;
		this.limiter = limiter;
		this.rejections = rejections;
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		if (this.settings.mode() == ProxyProtocolMode.REQUIRED && !this.settings.trusts(peer(ctx))) {
			// It may not send a header, and it must: nothing it sends could be served.
			reject(ctx, ProxyRejection.UNTRUSTED);
			return;
		}
		this.timeout = ctx.executor().schedule(() -> {
			if (this.state != State.DONE) {
				reject(ctx, ProxyRejection.TIMEOUT);
			}
		}, this.settings.headerTimeout().toNanos(), TimeUnit.NANOSECONDS);
		super.channelActive(ctx);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		switch (this.state) {
			case DETECTING -> detect(ctx, (ByteBuf) msg);
			case DECODING -> {
				if (msg instanceof HAProxyMessage header) {
					try {
						accept(ctx, header);
					}
					finally {
						header.release();
					}
				}
				else {
					// Bytes after a header the decoder has not finished cannot come here; anything else is not ours.
					ReferenceCountUtil.release(msg);
				}
			}
			default -> ReferenceCountUtil.release(msg);
		}
	}

	private void detect(ChannelHandlerContext ctx, ByteBuf bytes) {
		if (this.cumulation == null) {
			this.cumulation = bytes;
		}
		else {
			ByteBuf joined = ctx.alloc().buffer(this.cumulation.readableBytes() + bytes.readableBytes());
			joined.writeBytes(this.cumulation).writeBytes(bytes);
			this.cumulation.release();
			bytes.release();
			this.cumulation = joined;
		}
		ProtocolDetectionResult<HAProxyProtocolVersion> result = HAProxyMessageDecoder.detectProtocol(this.cumulation);
		if (result.state() == ProtocolDetectionState.NEEDS_MORE_DATA) {
			return;
		}
		if (result.state() == ProtocolDetectionState.INVALID) {
			if (this.settings.mode() == ProxyProtocolMode.REQUIRED) {
				reject(ctx, ProxyRejection.MALFORMED);
				return;
			}
			if (!admitClient(ctx, peer(ctx))) {
				return;
			}
			ByteBuf first = this.cumulation;
			this.cumulation = null;
			this.state = State.DONE;
			cancelTimeout();
			ctx.fireChannelRead(first);
			ctx.pipeline().remove(this);
			return;
		}
		if (!this.settings.trusts(peer(ctx))) {
			reject(ctx, ProxyRejection.UNTRUSTED);
			return;
		}
		this.state = State.DECODING;
		ctx.pipeline().addBefore(ctx.name(), DECODER_NAME, new HAProxyMessageDecoder());
		ByteBuf header = this.cumulation;
		this.cumulation = null;
		// From the pipeline's head, so that it passes the decoder just put in front of this handler.
		ctx.pipeline().fireChannelRead(header);
	}

	private void accept(ChannelHandlerContext ctx, HAProxyMessage header) {
		InetSocketAddress remote = null;
		InetSocketAddress local = null;
		HAProxyProxiedProtocol.AddressFamily family = header.proxiedProtocol().addressFamily();
		if (header.command() == HAProxyCommand.PROXY
				&& (family == HAProxyProxiedProtocol.AddressFamily.AF_IPv4
						|| family == HAProxyProxiedProtocol.AddressFamily.AF_IPv6)) {
			remote = address(header.sourceAddress(), header.sourcePort());
			local = address(header.destinationAddress(), header.destinationPort());
		}
		Map<String, Object> attributes = ProxyHeaderAttributes.of(header);
		if (remote != null && local != null) {
			ConnectionAddresses.set(ctx.channel(), new ConnectionAddresses(remote, local, attributes));
		}
		else {
			// LOCAL (the proxy's own health check), UNKNOWN or a Unix socket's paths: the connection's own addresses.
			ConnectionAddresses.set(ctx.channel(), new ConnectionAddresses(ConnectionAddresses.remote(ctx.channel()),
					ConnectionAddresses.local(ctx.channel()), attributes));
		}
		if (!admitClient(ctx, (remote != null) ? remote.getAddress() : peer(ctx))) {
			return;
		}
		// The decoder removes itself after this message and hands what followed the header to the next handler.
		finish(ctx);
	}

	private static InetSocketAddress address(String ip, int port) {
		byte[] bytes = NetUtil.createByteArrayFromIpAddressString(ip);
		if (bytes == null) {
			return null;
		}
		try {
			return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
		}
		catch (java.net.UnknownHostException ex) {
			return null;
		}
	}

	private boolean admitClient(ChannelHandlerContext ctx, InetAddress client) {
		if (this.limiter != null && !this.limiter.admitAddress(ctx.channel(), client)) {
			this.state = State.DONE;
			cancelTimeout();
			ctx.close();
			return false;
		}
		return true;
	}

	/** Steps aside; the connection's own protocol starts with the next bytes. */
	private void finish(ChannelHandlerContext ctx) {
		this.state = State.DONE;
		cancelTimeout();
		ctx.pipeline().remove(this);
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		if (this.state == State.DONE) {
			ctx.fireChannelReadComplete();
		}
		else if (ctx.channel().isActive()) {
			// The header is incomplete: the handlers behind wait for a request, so nobody else asks for more.
			ctx.read();
		}
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
		if (evt instanceof ChannelInputShutdownEvent && this.state != State.DONE) {
			// The client stopped sending before its header ended: a header cut short.
			reject(ctx, ProxyRejection.MALFORMED);
			return;
		}
		super.userEventTriggered(ctx, evt);
	}

	/**
	 * Only the decoder in front and this handler can raise what arrives here, and this handler stays in the pipeline
	 * only until the header is done: afterwards it is still here only on a connection it closed, where the decoder
	 * may fail again on the bytes it held (it decodes them once more when the connection closes).
	 */
	@Override
	public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
		if (this.state != State.DONE) {
			if (logger.isDebugEnabled()) {
				logger.debug("Closing " + ctx.channel() + ": malformed PROXY protocol header", cause);
			}
			reject(ctx, ProxyRejection.MALFORMED);
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		cancelTimeout();
		releaseCumulation();
		super.channelInactive(ctx);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		cancelTimeout();
		releaseCumulation();
	}

	private void reject(ChannelHandlerContext ctx, ProxyRejection reason) {
		boolean first = this.state != State.DONE;
		this.state = State.DONE;
		cancelTimeout();
		releaseCumulation();
		if (first) {
			this.rejections.accept(reason);
		}
		ctx.close();
	}

	private void cancelTimeout() {
		if (this.timeout != null) {
			this.timeout.cancel(false);
			this.timeout = null;
		}
	}

	private void releaseCumulation() {
		if (this.cumulation != null) {
			this.cumulation.release();
			this.cumulation = null;
		}
	}

	private static InetAddress peer(ChannelHandlerContext ctx) {
		return (ctx.channel().remoteAddress() instanceof InetSocketAddress inet) ? inet.getAddress() : null;
	}

}
