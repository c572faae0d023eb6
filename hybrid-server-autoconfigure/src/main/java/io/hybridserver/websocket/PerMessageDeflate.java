package io.hybridserver.websocket;

import java.util.List;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;

/**
 * Per-message deflate (RFC 7692) as Netty's extension handlers do it, negotiated here from the client's
 * {@code Sec-WebSocket-Extensions} offer: the first acceptable {@code permessage-deflate} offer wins, with the server's
 * context kept between messages and the client's window as it asked. Inflated messages are bounded by the maximum
 * message size, so a small compressed frame cannot become a large allocation.
 */
public final class PerMessageDeflate {

	/** The extension's registered name. */
	public static final String NAME = "permessage-deflate";

	private final WebSocketServerExtension extension;

	private PerMessageDeflate(WebSocketServerExtension extension) {
		this.extension = extension;
	}

	/**
	 * Accepts the client's first acceptable {@code permessage-deflate} offer.
	 * @param offer the request's {@code Sec-WebSocket-Extensions} value (its fields joined by commas), or null
	 * @param maxInflated the most bytes a message may inflate to
	 * @return the accepted extension, or {@code null} when the client offered none the server can accept
	 */
	public static PerMessageDeflate negotiate(String offer, int maxInflated) {
		if (offer == null || offer.isBlank()) {
			return null;
		}
		List<WebSocketExtensionData> offers;
		try {
			offers = WebSocketExtensionUtil.extractExtensions(offer);
		}
		catch (RuntimeException ex) {
			return null;
		}
		PerMessageDeflateServerExtensionHandshaker handshaker = new PerMessageDeflateServerExtensionHandshaker(6,
				false, 15, false, false, maxInflated);
		for (WebSocketExtensionData data : offers) {
			if (NAME.equals(data.name())) {
				WebSocketServerExtension accepted = handshaker.handshakeExtension(data);
				if (accepted != null) {
					return new PerMessageDeflate(accepted);
				}
			}
		}
		return null;
	}

	/** The {@code Sec-WebSocket-Extensions} value of the 101. */
	public String responseHeader() {
		WebSocketExtensionData data = this.extension.newReponseData();
		StringBuilder value = new StringBuilder(data.name());
		data.parameters().forEach((name, parameter) -> {
			value.append("; ").append(name);
			if (parameter != null) {
				value.append('=').append(parameter);
			}
		});
		return value.toString();
	}

	/** Adds the extension's encoder and decoder between the frame codec and the UTF-8 validator. */
	void install(ChannelPipeline pipeline, String afterDecoder) {
		pipeline.addAfter(afterDecoder, "ws-deflate-encoder", this.extension.newExtensionEncoder());
		pipeline.addAfter("ws-deflate-encoder", "ws-deflate-decoder", this.extension.newExtensionDecoder());
	}

}
