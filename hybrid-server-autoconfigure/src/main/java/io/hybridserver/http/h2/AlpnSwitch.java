package io.hybridserver.http.h2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;

/**
 * On a TLS port: once the handshake succeeds, switches the connection to HTTP/2 if ALPN chose {@code h2}, and in any
 * case leaves the pipeline. The TLS handler reports the handshake's end before it passes on any application data, so
 * the HTTP/1.1 handlers behind have seen nothing when they are replaced.
 */
final class AlpnSwitch extends ChannelInboundHandlerAdapter {

	private final Http2Negotiation negotiation;

	AlpnSwitch(Http2Negotiation negotiation) {
		this.negotiation = negotiation;
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
		if (evt instanceof SslHandshakeCompletionEvent completion) {
			ctx.fireUserEventTriggered(evt);
			SslHandler tls = ctx.pipeline().get(SslHandler.class);
			if (completion.isSuccess() && tls != null
					&& ApplicationProtocolNames.HTTP_2.equals(tls.applicationProtocol())) {
				this.negotiation.switchToHttp2(ctx, true);
			}
			else if (ctx.pipeline().context(this) != null) {
				ctx.pipeline().remove(this);
			}
			return;
		}
		ctx.fireUserEventTriggered(evt);
	}

}
