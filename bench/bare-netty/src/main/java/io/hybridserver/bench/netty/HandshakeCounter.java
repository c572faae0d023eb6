package io.hybridserver.bench.netty;

import java.lang.reflect.Method;

import javax.net.ssl.SSLEngine;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * Counts TLS handshakes and whether each resumed a session, then leaves the pipeline. Netty keeps "was the session
 * reused" package-private on its OpenSSL engine, so a benchmark tool reads it reflectively; if that ever fails the
 * count of resumptions says {@code 0} and the harness's check is inconclusive rather than wrong.
 */
final class HandshakeCounter extends ChannelInboundHandlerAdapter {

	private static final Method SESSION_REUSED = sessionReusedMethod();

	private final ConnectionStats stats;

	HandshakeCounter(ConnectionStats stats) {
		this.stats = stats;
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (event instanceof SslHandshakeCompletionEvent completion) {
			SSLEngine engine = ctx.pipeline().get(SslHandler.class).engine();
			this.stats.handshake(completion.isSuccess(), completion.isSuccess() && reused(engine));
			ctx.pipeline().remove(this);
		}
		super.userEventTriggered(ctx, event);
	}

	private static boolean reused(SSLEngine engine) {
		if (SESSION_REUSED == null || !SESSION_REUSED.getDeclaringClass().isInstance(engine)) {
			return false;
		}
		try {
			return (Boolean) SESSION_REUSED.invoke(engine);
		}
		catch (ReflectiveOperationException ex) {
			return false;
		}
	}

	private static Method sessionReusedMethod() {
		try {
			Method method = Class.forName("io.netty.handler.ssl.ReferenceCountedOpenSslEngine")
				.getDeclaredMethod("isSessionReused");
			method.setAccessible(true);
			return method;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

}
