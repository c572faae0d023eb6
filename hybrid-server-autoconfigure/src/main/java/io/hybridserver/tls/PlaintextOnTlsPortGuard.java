package io.hybridserver.tls;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;

/**
 * Looks at the first five bytes of a connection to the TLS port. A TLS record header passes (the guard leaves the
 * pipeline and the bytes go on to the TLS handler); anything else (typically {@code GET / HTTP/1.1} from a client that
 * used {@code http://}) gets a readable {@code 400} that says the port speaks HTTPS, then the connection closes.
 *
 * <p>Without it the TLS handler would fail with a cryptic record error and drop the connection with no answer.
 */
final class PlaintextOnTlsPortGuard extends ByteToMessageDecoder {

	private static final int TLS_RECORD_HEADER_LENGTH = 5;

	/** How long the refused client may go on sending before we close; reading it first avoids a reset that eats the 400. */
	private static final long LINGER_MILLIS = 2_000;

	private static final byte[] RESPONSE = response();

	private final TlsHandshakeObserver observer;

	private boolean refused;

	PlaintextOnTlsPortGuard(TlsHandshakeObserver observer) {
		this.observer = observer;
	}

	private static byte[] response() {
		String body = "This port speaks HTTPS: the request was sent as plain HTTP. Use an https:// URL.\n";
		String head = "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
				+ body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n";
		return (head + body).getBytes(StandardCharsets.UTF_8);
	}

	@Override
	protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
		if (this.refused) {
			in.skipBytes(in.readableBytes());
			return;
		}
		if (in.readableBytes() < TLS_RECORD_HEADER_LENGTH) {
			return;
		}
		if (SslHandler.isEncrypted(in, false)) {
			// Removing a decoder hands its buffered bytes to the next handler.
			ctx.pipeline().remove(this);
			return;
		}
		in.skipBytes(in.readableBytes());
		refuse(ctx);
	}

	private void refuse(ChannelHandlerContext ctx) {
		this.refused = true;
		this.observer.plaintextRefused();
		ctx.writeAndFlush(Unpooled.wrappedBuffer(RESPONSE)).addListener((ChannelFutureListener) (written) -> {
			if (written.isSuccess() && written.channel() instanceof DuplexChannel duplex) {
				// Half-close: the client reads the 400 and its EOF; we read (and drop) what it still sends.
				duplex.shutdownOutput();
			}
			else {
				written.channel().close();
			}
		});
		ctx.executor().schedule(() -> ctx.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
		if (this.refused && event instanceof ChannelInputShutdownEvent) {
			ctx.close();
			return;
		}
		super.userEventTriggered(ctx, event);
	}

}
