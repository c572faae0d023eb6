package io.hybridserver.http;

import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-batch flush every protocol handler returns from its writing tasks: marked once, flushed once. */
class CoalescingFlushTest {

	private static ByteBuf bytes(int value) {
		return Unpooled.buffer(1).writeByte(value);
	}

	@Test
	void writesOfOneBatchLeaveWithOneFlush() {
		EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
		ChannelHandlerContext ctx = channel.pipeline().firstContext();
		CoalescingFlush flush = new CoalescingFlush(ctx);
		ctx.write(bytes(1));
		assertThat(flush.markFlushPending()).isTrue();
		ctx.write(bytes(2));
		assertThat(flush.markFlushPending()).as("marked already in this batch").isFalse();
		assertThat(flush.isPending()).isTrue();
		assertThat((Object) channel.readOutbound()).as("nothing leaves before the flush").isNull();
		flush.flushNow();
		assertThat(flush.isPending()).isFalse();
		for (int expected = 1; expected <= 2; expected++) {
			ByteBuf written = channel.readOutbound();
			assertThat(written.readByte()).isEqualTo((byte) expected);
			written.release();
		}
		// The next batch is marked anew.
		assertThat(flush.markFlushPending()).isTrue();
		flush.flushedElsewhere();
		assertThat(flush.isPending()).isFalse();
		assertThat(channel.finish()).isFalse();
	}

	@Test
	void aProtocolMayFlushItsOwnWay() {
		EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
		AtomicInteger ownFlushes = new AtomicInteger();
		CoalescingFlush flush = new CoalescingFlush(channel.pipeline().firstContext()) {

			@Override
			protected void flush(ChannelHandlerContext ctx) {
				ownFlushes.incrementAndGet();
				ctx.flush();
			}

		};
		flush.markFlushPending();
		flush.markFlushPending();
		flush.flushNow();
		assertThat(ownFlushes).hasValue(1);
		assertThat(channel.finish()).isFalse();
	}

}
