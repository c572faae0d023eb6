package io.hybridserver.websocket;

import java.util.concurrent.Executor;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;

import io.hybridserver.http.ConnectionUpgrade;

/**
 * Turns an HTTP/1.1 connection into a WebSocket one after its 101, in the order bytes travel:
 * {@code ws-encoder} (outbound frames, unmasked as a server's are), {@code ws-decoder} (client frames must be masked;
 * reserved bits and opcodes, fragmentation and control-frame rules, the frame size limit), {@code ws-utf8} (text
 * frames are valid UTF-8 across fragments), {@code ws} (the {@link WebSocketConnection}); with per-message deflate,
 * its encoder and decoder sit between the frame decoder and the validator. Protocol errors the codec finds
 * are answered by the connection (a close frame with the codec's status, then the end of the TCP connection), also
 * for a malformed close frame, after which Netty's codec itself would close without a word.
 */
public final class WebSocketUpgrade implements ConnectionUpgrade {

	private final WebSocketSettings settings;

	private final WebSocketStats stats;

	private final WebSocketListener listener;

	private final Executor executor;

	private final Runnable onEnd;

	private PerMessageDeflate deflate;

	/**
	 * @param stats where the connection counts sessions, messages, bytes and closes
	 * @param executor the workers the listener runs on
	 * @param onEnd runs once when the connection has closed (for session accounting)
	 */
	public WebSocketUpgrade(WebSocketSettings settings, WebSocketStats stats, WebSocketListener listener,
			Executor executor, Runnable onEnd) {
		this.settings = settings;
		this.stats = stats;
		this.listener = listener;
		this.executor = executor;
		this.onEnd = onEnd;
	}

	/** Compresses messages with the negotiated per-message deflate (RFC 7692). */
	public WebSocketUpgrade withDeflate(PerMessageDeflate deflate) {
		this.deflate = deflate;
		return this;
	}

	@Override
	public void install(ChannelPipeline pipeline, String after) {
		WebSocketDecoderConfig decoding = WebSocketDecoderConfig.newBuilder()
			.maxFramePayloadLength(this.settings.maxFramePayload())
			.expectMaskedFrames(true)
			.allowMaskMismatch(false)
			.allowExtensions(this.deflate != null)
			.closeOnProtocolViolation(false)
			.withUTF8Validator(true)
			.build();
		pipeline.addAfter(after, "ws-encoder", new WebSocket13FrameEncoder(false));
		pipeline.addAfter("ws-encoder", "ws-decoder", new WebSocket13FrameDecoder(decoding));
		String beforeValidator = "ws-decoder";
		if (this.deflate != null) {
			// Inflated before the UTF-8 check, compressed after the connection wrote.
			this.deflate.install(pipeline, "ws-decoder");
			beforeValidator = "ws-deflate-decoder";
		}
		pipeline.addAfter(beforeValidator, "ws-utf8", new Utf8FrameValidator(false));
		pipeline.addAfter("ws-utf8", "ws", new WebSocketConnection(this.settings, this.stats, this.listener,
				this.executor, this.onEnd));
	}

}
