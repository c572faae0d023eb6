package io.hybridserver.http;

import io.netty.channel.ChannelHandlerContext;

/**
 * A connection's (or HTTP/3 stream's) {@link FlushTarget}: remembers that something was written during the current
 * batch of {@link OutboundTask}s and flushes once when the batch ends, however many tasks wrote. Loop-confined.
 *
 * <p>A protocol handler holds one and returns it from the tasks that write, rather than being the target itself: the
 * handlers already extend Netty's handler classes. A handler whose flush is more than {@code ctx.flush()} (HTTP/2's
 * codec first writes what its flow controller holds) overrides {@link #flush(ChannelHandlerContext)}.
 */
public class CoalescingFlush implements FlushTarget {

	private final ChannelHandlerContext ctx;

	private boolean pending;

	/** @param ctx the handler's context, whose flush goes from the handler toward the socket */
	public CoalescingFlush(ChannelHandlerContext ctx) {
		this.ctx = ctx;
	}

	@Override
	public final boolean markFlushPending() {
		if (this.pending) {
			return false;
		}
		this.pending = true;
		return true;
	}

	@Override
	public final void flushNow() {
		this.pending = false;
		flush(this.ctx);
	}

	/** Whether a flush is owed: marked in this batch and not done yet. */
	public final boolean isPending() {
		return this.pending;
	}

	/** Forgets the mark: the handler has flushed by other means (HTTP/2's codec at the end of each read). */
	public final void flushedElsewhere() {
		this.pending = false;
	}

	/** The flush itself: {@code ctx.flush()}. */
	protected void flush(ChannelHandlerContext ctx) {
		ctx.flush();
	}

}
