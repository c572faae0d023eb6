package io.hybridserver.websocket;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * A frame to send, as the application layer describes it: the layers above the I/O tier never see Netty's types.
 * The payload array is the frame's from then on (it is wrapped, not copied).
 *
 * @param kind what the frame carries
 * @param payload the payload bytes (text in UTF-8)
 * @param last whether it ends its message (always true for ping and pong)
 */
public record OutboundFrame(Kind kind, byte[] payload, boolean last) {

	/** The frame kinds an application sends; close frames go through {@link WebSocketConnection#close}. */
	public enum Kind {

		TEXT, BINARY, CONTINUATION, PING, PONG

	}

	WebSocketFrame toNetty() {
		return switch (this.kind) {
			case TEXT -> new TextWebSocketFrame(this.last, 0, Unpooled.wrappedBuffer(this.payload));
			case BINARY -> new BinaryWebSocketFrame(this.last, 0, Unpooled.wrappedBuffer(this.payload));
			case CONTINUATION -> new ContinuationWebSocketFrame(this.last, 0, Unpooled.wrappedBuffer(this.payload));
			case PING -> new PingWebSocketFrame(Unpooled.wrappedBuffer(this.payload));
			case PONG -> new PongWebSocketFrame(Unpooled.wrappedBuffer(this.payload));
		};
	}

}
