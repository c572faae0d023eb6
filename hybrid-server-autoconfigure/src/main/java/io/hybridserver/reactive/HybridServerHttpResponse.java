package io.hybridserver.reactive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Executor;

import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ZeroCopyHttpOutputMessage;
import org.springframework.http.server.reactive.AbstractServerHttpResponse;
import org.springframework.http.support.Netty4HeadersAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.hybridserver.http.ByteBufExchange;
import io.hybridserver.http.ConnectionUpgrade;
import io.hybridserver.reactive.websocket.ProtocolSwitch;
import io.hybridserver.reactive.websocket.ReactiveWebSocketSessions;

/**
 * A {@code ServerHttpResponse} over an exchange. Headers are written straight into Netty's (no copy at commit); the head
 * is handed to the exchange when Spring commits, with the {@code Content-Length} the application or its encoder set,
 * else streamed chunked. Bodies go through a {@link ResponseBodyWriter}; files through the kernel on plaintext
 * connections ({@link ZeroCopyHttpOutputMessage}), else read in buffers. A WebSocket handshake switches protocols
 * through it ({@link ProtocolSwitch}).
 */
final class HybridServerHttpResponse extends AbstractServerHttpResponse
		implements ZeroCopyHttpOutputMessage, ProtocolSwitch {

	private static final int FILE_BUFFER_SIZE = 64 * 1024;

	private final ByteBufExchange exchange;

	private final Executor continuations;

	private final ReactiveWebSocketSessions webSockets;

	/** Set when the commit under way is a 101: the exchange is then upgraded, not committed. */
	private volatile boolean switchingProtocols;

	HybridServerHttpResponse(ByteBufExchange exchange, NettyDataBufferFactory buffers, Executor continuations,
			ReactiveWebSocketSessions webSockets) {
		super(buffers, new HttpHeaders(new Netty4HeadersAdapter(exchange.nettyResponseHeaders())));
		this.exchange = exchange;
		this.continuations = continuations;
		this.webSockets = webSockets;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T getNativeResponse() {
		return (T) this.exchange;
	}

	@Override
	protected void applyStatusCode() {
		// Handed over with the head in applyCookies, the last step of Spring's commit.
	}

	@Override
	protected void applyHeaders() {
		// The headers already are the exchange's.
	}

	@Override
	protected void applyCookies() {
		for (List<ResponseCookie> cookies : getCookies().values()) {
			for (ResponseCookie cookie : cookies) {
				getHeaders().add(HttpHeaders.SET_COOKIE, cookie.toString());
			}
		}
		if (this.switchingProtocols) {
			return;
		}
		HttpStatusCode status = getStatusCode();
		this.exchange.commit((status != null) ? status.value() : 200, getHeaders().getContentLength());
	}

	// ---- switching protocols (WebSocket)

	@Override
	public ReactiveWebSocketSessions webSockets() {
		if (this.webSockets == null) {
			throw new IllegalStateException("This server was made without WebSocket support");
		}
		return this.webSockets;
	}

	@Override
	public boolean canSwitchProtocols() {
		return this.webSockets != null && !isCommitted() && this.exchange.canUpgrade();
	}

	@Override
	public Mono<Void> switchProtocols(ConnectionUpgrade upgrade) {
		setStatusCode(HttpStatus.SWITCHING_PROTOCOLS);
		this.switchingProtocols = true;
		return doCommit(() -> Mono.fromRunnable(() -> this.exchange.upgrade(upgrade)));
	}

	@Override
	protected Mono<Void> writeWithInternal(Publisher<? extends DataBuffer> body) {
		return Mono.create((sink) -> body.subscribe(new ResponseBodyWriter(this.exchange, this.continuations, sink)));
	}

	@Override
	protected Mono<Void> writeAndFlushWithInternal(Publisher<? extends Publisher<? extends DataBuffer>> body) {
		return Flux.from(body).concatMap((part) -> writeWithInternal(part).then(Mono.fromRunnable(this::flush)), 1)
			.then();
	}

	private void flush() {
		try {
			this.exchange.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public Mono<Void> writeWith(Path file, long position, long count) {
		return doCommit(() -> {
			if (this.exchange.canWriteFile()) {
				return Mono.fromCallable(() -> {
					this.exchange.writeFile(file.toFile(), position, count);
					return null;
				});
			}
			Flux<DataBuffer> content = DataBufferUtils.readAsynchronousFileChannel(
					() -> AsynchronousFileChannel.open(file, StandardOpenOption.READ), position, bufferFactory(),
					FILE_BUFFER_SIZE);
			return writeWithInternal(DataBufferUtils.takeUntilByteCount(content, count));
		});
	}

}
