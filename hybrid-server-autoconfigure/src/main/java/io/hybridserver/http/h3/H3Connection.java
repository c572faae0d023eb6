package io.hybridserver.http.h3;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http3.DefaultHttp3GoAwayFrame;
import io.netty.handler.codec.http3.Http3;
import io.netty.handler.codec.http3.Http3ErrorCode;
import io.netty.handler.codec.quic.QuicChannel;
import io.netty.handler.codec.quic.QuicConnectionStats;
import io.netty.handler.codec.quic.QuicStreamChannel;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.Future;

/**
 * One QUIC connection's HTTP/3 life beyond Netty's codec: counts it and its TLS handshake, keeps the highest request
 * stream it has seen and how many are open, and on graceful shutdown sends GOAWAY (RFC 9114 5.2) and closes the
 * connection with H3_NO_ERROR once its last request stream has ended. Loop-confined: every method runs on the
 * connection's event loop.
 */
final class H3Connection extends ChannelInboundHandlerAdapter {

	private static final Log logger = LogFactory.getLog(H3Connection.class);

	private final Http3Stats stats;

	private final QuicAddressLimit addressLimit;

	private QuicChannel channel;

	private InetAddress limitedAddress;

	private int openStreams;

	private long highestStreamId = -1;

	private boolean goingAway;

	private boolean counted;

	H3Connection(Http3Stats stats, QuicAddressLimit addressLimit) {
		this.stats = stats;
		this.addressLimit = addressLimit;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		this.channel = (QuicChannel) ctx.channel();
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) throws Exception {
		if (this.channel.remoteSocketAddress() instanceof InetSocketAddress remote) {
			if (!this.addressLimit.tryAcquire(remote.getAddress())) {
				// Its address has its share: closed before any stream, as TCP closes at accept.
				this.stats.connectionRefused();
				this.channel.close(true, Http3ErrorCode.H3_EXCESSIVE_LOAD.code(), Unpooled.EMPTY_BUFFER);
				return;
			}
			this.limitedAddress = remote.getAddress();
		}
		this.counted = true;
		this.stats.connectionOpened();
		super.channelActive(ctx);
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		if (this.limitedAddress != null) {
			this.addressLimit.release(this.limitedAddress);
			this.limitedAddress = null;
		}
		if (this.counted) {
			this.counted = false;
			this.stats.connectionClosed();
			countPackets();
		}
		super.channelInactive(ctx);
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (event instanceof SslHandshakeCompletionEvent handshake) {
			this.stats.handshake(handshake.isSuccess());
			if (!handshake.isSuccess() && logger.isDebugEnabled()) {
				logger.debug("QUIC TLS handshake failed: " + handshake.cause());
			}
		}
		super.userEventTriggered(ctx, event);
	}

	/**
	 * Adds the connection's packet counts to the listener's. Counted once, at the end: the QUIC library keeps a closed
	 * connection's final figures, and asking a live one would cost a call into it per scrape and connection.
	 */
	private void countPackets() {
		this.channel.collectStats().addListener((Future<QuicConnectionStats> done) -> {
			if (done.isSuccess()) {
				QuicConnectionStats packets = done.getNow();
				this.stats.connectionPackets(packets.sent(), packets.recv(), packets.lost(), packets.retrans());
			}
			else if (logger.isDebugEnabled()) {
				logger.debug("No packet counts for an ended QUIC connection: " + done.cause());
			}
		});
	}

	/** A client opened a request stream. */
	void streamOpened(long streamId) {
		this.openStreams++;
		this.highestStreamId = Math.max(this.highestStreamId, streamId);
	}

	/** A request stream ended; the last one ends a connection that is going away. */
	void streamClosed() {
		this.openStreams--;
		if (this.goingAway && this.openStreams <= 0) {
			closeNow();
		}
	}

	/**
	 * Graceful shutdown: GOAWAY naming the first request stream that will not be served (every stream already seen is
	 * served), then the close once the open streams have ended.
	 */
	void goAway() {
		if (this.goingAway || !this.channel.isActive()) {
			return;
		}
		this.goingAway = true;
		QuicStreamChannel control = Http3.getLocalControlStream(this.channel);
		if (control == null) {
			closeNow();
			return;
		}
		long firstRefused = this.highestStreamId + 4;
		control.writeAndFlush(new DefaultHttp3GoAwayFrame(Math.max(0, firstRefused)))
			.addListener((ChannelFutureListener) (future) -> {
				if (this.openStreams <= 0) {
					closeNow();
				}
			});
	}

	private void closeNow() {
		if (this.channel.isActive()) {
			this.channel.close(true, Http3ErrorCode.H3_NO_ERROR.code(), Unpooled.EMPTY_BUFFER);
		}
	}

}
