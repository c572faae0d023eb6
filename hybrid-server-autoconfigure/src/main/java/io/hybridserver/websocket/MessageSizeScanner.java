package io.hybridserver.websocket;

import java.util.ArrayDeque;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Reads the frame headers in the byte stream ahead of the frame decoder, to refuse a message larger than the
 * connection's limit ({@link WebSocketConnection#limitMessages}) at the header that shows it, before the frame decoder
 * buffers that frame's payload. The decoder waits for a whole frame, so without this a message of two 9 MiB frames
 * under a 17 MiB limit would have its second frame read into memory in full before anyone counted it.
 *
 * <p>Only the headers are parsed (RFC 6455, 5.2: two bytes, an extended length of 2 or 8, a masking key of 4); the
 * bytes pass on untouched, and every protocol rule stays the decoder's. Control frames do not count. Compressed
 * messages (RSV1 on the first frame, per-message deflate) are counted after inflation by the connection instead,
 * since their size on the wire says nothing of what they become. Once a message is refused, nothing more is passed on:
 * the connection is failed with 1009.
 */
final class MessageSizeScanner extends ChannelInboundHandlerAdapter {

	private static final int MAX_HEADER = 14;

	private final WebSocketConnection connection;

	private final byte[] header = new byte[MAX_HEADER];

	/** Header bytes read of the frame now arriving, and how many its header has (known after the second byte). */
	private int headerRead;

	private int headerLength = 2;

	/** Payload bytes of the current frame still to pass before the next header. */
	private long payloadLeft;

	/** The data message now arriving: its kind (1 text, 2 binary, 0 none), whether compressed, its bytes so far. */
	private int messageType;

	private boolean compressed;

	private long messageBytes;

	private boolean refused;

	/** The limit the refused message went past. */
	private long refusedLimit;

	MessageSizeScanner(WebSocketConnection connection) {
		this.connection = connection;
	}

	/**
	 * The event the connection fires through the pipeline once its listener's onOpen has returned: bytes held until
	 * then are scanned and passed on. Loop only.
	 */
	static final Object OPENED = new Object();

	/**
	 * Bytes that arrived before the listener's onOpen returned (frames a client sent behind its handshake, held by the
	 * HTTP decoder until the switch): they wait here, since the limits onOpen sets apply to them too, as on Tomcat,
	 * which reads nothing of an upgraded connection before onOpen. At most what the HTTP decoder held and one read.
	 */
	private ArrayDeque<ByteBuf> early = new ArrayDeque<>();

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
		if (evt != OPENED) {
			super.userEventTriggered(ctx, evt);
			return;
		}
		ArrayDeque<ByteBuf> held = this.early;
		this.early = null;
		if (held == null || held.isEmpty()) {
			return;
		}
		ByteBuf bytes;
		while ((bytes = held.poll()) != null) {
			channelRead(ctx, bytes);
		}
		ctx.fireChannelReadComplete();
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (!(msg instanceof ByteBuf bytes)) {
			ctx.fireChannelRead(msg);
			return;
		}
		if (this.early != null) {
			this.early.add(bytes);
			return;
		}
		if (this.refused) {
			bytes.release();
			return;
		}
		int frameStart = scan(bytes);
		if (frameStart < 0) {
			ctx.fireChannelRead(bytes);
			return;
		}
		// The frame starting at frameStart (or in an earlier read, then 0 bytes here) makes its message too big:
		// the frames before it go on, the rest is dropped.
		this.refused = true;
		int before = frameStart - bytes.readerIndex();
		ByteBuf head = (before > 0) ? bytes.retainedSlice(bytes.readerIndex(), before) : null;
		ReferenceCountUtil.release(bytes);
		if (head != null) {
			ctx.fireChannelRead(head);
		}
		this.connection.messageTooBig(this.refusedLimit);
	}

	@Override
	public void channelReadComplete(ChannelHandlerContext ctx) {
		if (this.early == null) {
			ctx.fireChannelReadComplete();
		}
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		releaseEarly();
	}

	@Override
	public void channelInactive(ChannelHandlerContext ctx) throws Exception {
		releaseEarly();
		super.channelInactive(ctx);
	}

	private void releaseEarly() {
		ArrayDeque<ByteBuf> held = this.early;
		if (held != null) {
			held.forEach(ReferenceCountUtil::release);
			held.clear();
		}
	}

	/**
	 * Follows the frames through {@code bytes} without moving its reader index.
	 * @return the index where the header of a frame that makes its message too big starts (the reader index when it
	 *     started in an earlier buffer), or -1 when every frame is within the limits
	 */
	private int scan(ByteBuf bytes) {
		int index = bytes.readerIndex();
		int end = bytes.writerIndex();
		int frameStart = index;
		while (index < end) {
			if (this.payloadLeft > 0) {
				long skip = Math.min(this.payloadLeft, end - index);
				index += (int) skip;
				this.payloadLeft -= skip;
				continue;
			}
			if (this.headerRead == 0) {
				frameStart = index;
			}
			this.header[this.headerRead++] = bytes.getByte(index++);
			if (this.headerRead == 2) {
				int lengthCode = this.header[1] & 0x7F;
				int extended = (lengthCode == 126) ? 2 : (lengthCode == 127) ? 8 : 0;
				this.headerLength = 2 + extended + (((this.header[1] & 0x80) != 0) ? 4 : 0);
			}
			if (this.headerRead >= 2 && this.headerRead == this.headerLength) {
				this.headerRead = 0;
				if (!frameFits()) {
					return frameStart;
				}
			}
		}
		return -1;
	}

	/** A whole header has arrived: counts the frame against its message, and says whether the message still fits. */
	private boolean frameFits() {
		boolean fin = (this.header[0] & 0x80) != 0;
		int opcode = this.header[0] & 0x0F;
		long length = payloadLength();
		this.payloadLeft = length;
		if (opcode >= 0x8) {
			return true;
		}
		if (opcode != 0) {
			this.messageType = opcode;
			this.compressed = (this.header[0] & 0x40) != 0;
			this.messageBytes = 0;
		}
		long size = (this.messageBytes > Long.MAX_VALUE - length) ? Long.MAX_VALUE : this.messageBytes + length;
		long limit = this.connection.messageLimit(this.messageType);
		if (!this.compressed && size > limit) {
			this.refusedLimit = limit;
			return false;
		}
		this.messageBytes = fin ? 0 : size;
		if (fin) {
			// A continuation after this is the decoder's protocol error, not a part of this message.
			this.messageType = 0;
		}
		return true;
	}

	private long payloadLength() {
		int lengthCode = this.header[1] & 0x7F;
		if (lengthCode < 126) {
			return lengthCode;
		}
		if (lengthCode == 126) {
			return ((this.header[2] & 0xFF) << 8) | (this.header[3] & 0xFF);
		}
		long length = 0;
		for (int i = 2; i < 10; i++) {
			length = (length << 8) | (this.header[i] & 0xFF);
		}
		// A length with the top bit set is the decoder's protocol error; here it only must not wrap around.
		return (length < 0) ? Long.MAX_VALUE : length;
	}

}
