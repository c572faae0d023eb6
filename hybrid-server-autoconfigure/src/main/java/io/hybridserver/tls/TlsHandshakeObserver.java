package io.hybridserver.tls;

import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLSession;

import io.hybridserver.transport.ImmediateAck;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Sits behind the TLS handler of one connection until its handshake ends: enforces the handshake timeout, tells the
 * {@link TlsHandshakeListener} how it ended (exactly once), then leaves the pipeline.
 *
 * <p>The timeout is ours rather than {@code SslHandler}'s so that one clock covers both the wait for the ClientHello
 * (while the SNI handler looks for the server name) and the handshake itself, and so that a timeout is reported as one.
 *
 * <p>When a handshake succeeds it also has the kernel acknowledge the client's last handshake flight at once (see
 * {@link ImmediateAck}): a client using Nagle's algorithm would otherwise hold its first request until the server's
 * delayed ACK, 40 ms or more.
 */
final class TlsHandshakeObserver extends ChannelInboundHandlerAdapter {

	private final TlsHandshakeListener listener;

	private final long timeoutNanos;

	private final long startNanos = System.nanoTime();

	private final long startMillis = System.currentTimeMillis();

	private ScheduledFuture<?> timer;

	private boolean reported;

	TlsHandshakeObserver(TlsHandshakeListener listener, long timeoutNanos) {
		this.listener = listener;
		this.timeoutNanos = timeoutNanos;
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		if (ctx.channel().isActive()) {
			startTimer(ctx);
		}
	}

	@Override
	public void channelActive(ChannelHandlerContext ctx) {
		startTimer(ctx);
		ctx.fireChannelActive();
	}

	private void startTimer(ChannelHandlerContext ctx) {
		if (this.timer == null && !this.reported) {
			this.timer = ctx.executor().schedule(() -> timedOut(ctx), this.timeoutNanos, TimeUnit.NANOSECONDS);
		}
	}

	private void timedOut(ChannelHandlerContext ctx) {
		if (!this.reported) {
			report(TlsFailureReason.TIMEOUT);
			ctx.close();
		}
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
		if (event instanceof SslHandshakeCompletionEvent completion && !this.reported) {
			if (completion.isSuccess()) {
				SslHandler ssl = ctx.pipeline().get(SslHandler.class);
				SSLSession session = ssl.engine().getSession();
				this.reported = true;
				cancelTimer();
				// The client's last flight (its Finished) may be waiting for our ACK before its request may leave.
				ImmediateAck.acknowledgeNow(ctx.channel());
				boolean resumed = SessionResumption.isResumed(ssl.engine(), this.startMillis);
				this.listener.handshakeSucceeded(session.getProtocol(), session.getCipherSuite(), resumed,
						elapsed());
				ctx.pipeline().remove(this);
			}
			else {
				report(TlsFailureReason.of(completion.cause()));
			}
		}
		ctx.fireUserEventTriggered(event);
	}

	/** The plain-HTTP guard in front of the TLS handler refused the connection. */
	void plaintextRefused() {
		if (!this.reported) {
			report(TlsFailureReason.PLAINTEXT);
		}
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) {
		if (!this.reported) {
			// Closed before the TLS handler could tell us anything (for example while waiting for the ClientHello).
			report(TlsFailureReason.CLOSED);
		}
		ctx.fireChannelInactive();
	}

	private void report(TlsFailureReason reason) {
		this.reported = true;
		cancelTimer();
		this.listener.handshakeFailed(reason, elapsed());
	}

	private void cancelTimer() {
		if (this.timer != null) {
			this.timer.cancel(false);
		}
	}

	private long elapsed() {
		return System.nanoTime() - this.startNanos;
	}

}
