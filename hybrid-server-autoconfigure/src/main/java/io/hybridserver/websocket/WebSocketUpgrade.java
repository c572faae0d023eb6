package io.hybridserver.websocket;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;

import io.hybridserver.http.ConnectionUpgrade;

/**
 * Turns an HTTP/1.1 connection into a WebSocket one after its 101, in the order bytes travel: {@code ws-size} (the
 * message limit, read from frame headers: {@link MessageSizeScanner}), {@code ws-encoder} (outbound frames, unmasked
 * as a server's are), {@code ws-decoder} (client frames must be masked; reserved bits and opcodes, fragmentation and
 * control-frame rules, the frame size limit), {@code ws-utf8} (text frames are valid UTF-8 across fragments),
 * {@code ws} (the {@link WebSocketConnection}); with per-message deflate, its encoder and decoder sit between the
 * frame decoder and the validator. Protocol errors the codec finds are answered by the connection (a close frame with
 * the codec's status, then the end of the TCP connection), also for a malformed close frame, after which Netty's
 * codec itself would close without a word.
 *
 * <p>The session slot the handshake reserved is released exactly once, whatever happens to the connection: by the
 * connection when it ends (its {@code channelInactive}, also when the channel was already closed when installed), or
 * here when the switch never happens ({@link #abandon()}: the client left between the 101 decision and the switch).
 */
public final class WebSocketUpgrade implements ConnectionUpgrade {

	private final WebSocketSettings settings;

	private final WebSocketStats stats;

	private final WebSocketListener listener;

	private final WebSocketWorkers workers;

	private final Runnable onEnd;

	private PerMessageDeflate deflate;

	private long messageLimit = Long.MAX_VALUE;

	/** Set by whichever comes first, {@link #install} or {@link #abandon}: the other then does nothing. */
	private final AtomicBoolean decided = new AtomicBoolean();

	/**
	 * @param stats where the connection counts sessions, messages, bytes and closes
	 * @param executor the workers the listener runs on; each hand-off of a session is executed at once
	 * @param onEnd runs once when the connection has closed (for session accounting)
	 */
	public WebSocketUpgrade(WebSocketSettings settings, WebSocketStats stats, WebSocketListener listener,
			Executor executor, Runnable onEnd) {
		this(settings, stats, listener, WebSocketWorkers.of(executor), onEnd);
	}

	/**
	 * @param stats where the connection counts sessions, messages, bytes and closes
	 * @param workers the server's WebSocket threads (one {@link WebSocketWorkers} for all its connections, so that
	 *     their hand-offs share wake-ups)
	 * @param onEnd runs once when the connection has closed (for session accounting)
	 */
	public WebSocketUpgrade(WebSocketSettings settings, WebSocketStats stats, WebSocketListener listener,
			WebSocketWorkers workers, Runnable onEnd) {
		this.settings = settings;
		this.stats = stats;
		this.listener = listener;
		this.workers = workers;
		this.onEnd = onEnd;
	}

	/** Compresses messages with the negotiated per-message deflate (RFC 7692). */
	public WebSocketUpgrade withDeflate(PerMessageDeflate deflate) {
		this.deflate = deflate;
		return this;
	}

	/**
	 * Refuses messages larger than {@code limit} (all fragments, inflated) with 1009 from the start, for a listener
	 * that takes whole messages only; one that sets limits of its own uses {@link WebSocketConnection#limitMessages}.
	 */
	public WebSocketUpgrade withMessageLimit(long limit) {
		this.messageLimit = limit;
		return this;
	}

	@Override
	public void abandon() {
		if (this.decided.compareAndSet(false, true)) {
			this.onEnd.run();
		}
	}

	@Override
	public void install(ChannelPipeline pipeline, String after) {
		if (!this.decided.compareAndSet(false, true)) {
			// Abandoned first: the slot is already back, so this connection must not become a session.
			pipeline.channel().close();
			return;
		}
		WebSocketDecoderConfig decoding = WebSocketDecoderConfig.newBuilder()
			.maxFramePayloadLength(this.settings.maxFramePayload())
			.expectMaskedFrames(true)
			.allowMaskMismatch(false)
			.allowExtensions(this.deflate != null)
			.closeOnProtocolViolation(false)
			.withUTF8Validator(true)
			.build();
		WebSocketConnection connection = new WebSocketConnection(this.settings, this.stats, this.listener,
				this.workers, this.onEnd, this.messageLimit);
		pipeline.addAfter(after, "ws-size", new MessageSizeScanner(connection));
		pipeline.addAfter("ws-size", "ws-encoder", new WebSocket13FrameEncoder(false));
		pipeline.addAfter("ws-encoder", "ws-decoder", new WebSocket13FrameDecoder(decoding));
		String beforeValidator = "ws-decoder";
		if (this.deflate != null) {
			// Inflated before the UTF-8 check, compressed after the connection wrote.
			this.deflate.install(pipeline, "ws-decoder");
			beforeValidator = "ws-deflate-decoder";
		}
		pipeline.addAfter(beforeValidator, "ws-utf8", new Utf8FrameValidator(false));
		pipeline.addAfter("ws-utf8", "ws", connection);
	}

}
