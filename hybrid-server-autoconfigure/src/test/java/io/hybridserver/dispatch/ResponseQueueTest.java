package io.hybridserver.dispatch;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseQueueTest {

	@Test
	void tasksRunOnTheLoopAndEachConnectionIsFlushedOncePerBatch() throws Exception {
		DefaultEventLoop loop = new DefaultEventLoop();
		try {
			ResponseQueue queue = new ResponseQueue(loop, 16);
			AtomicInteger onLoop = new AtomicInteger();
			CountingTarget target = new CountingTarget();
			loop.submit(() -> {
				// Submitted from the loop itself: the drain runs after this task, so all three land in one batch.
				for (int i = 0; i < 3; i++) {
					queue.submit(() -> {
						if (loop.inEventLoop()) {
							onLoop.incrementAndGet();
						}
						return target;
					});
				}
			}).sync();
			loop.submit(() -> { }).sync();
			assertThat(onLoop).hasValue(3);
			assertThat(target.flushes).hasValue(1);
		}
		finally {
			loop.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).sync();
		}
	}

	@Test
	void aStoppedLoopDoesNotStrandWhatQueuedTasksHold() {
		// A worker answering after the server stopped (a 500 written by the dispatch tier, say): the loop rejects the
		// drain, and the task must still run so that the bytes it carries are released, not leaked.
		ResponseQueue queue = new ResponseQueue((task) -> {
			throw new RejectedExecutionException("event executor terminated");
		}, 16);
		ByteBuf body = Unpooled.buffer(8).writeLong(42);
		queue.submit(() -> {
			body.release();
			return null;
		});
		assertThat(body.refCnt()).isZero();
		assertThat(queue.size()).isZero();
	}

	@Test
	@Timeout(10)
	void aStoppedLoopWithAFullQueueDoesNotBlockTheWorker() {
		ResponseQueue queue = new ResponseQueue((task) -> {
			throw new RejectedExecutionException("event executor terminated");
		}, 16);
		AtomicInteger ran = new AtomicInteger();
		for (int i = 0; i < 100; i++) {
			queue.submit(() -> {
				ran.incrementAndGet();
				return null;
			});
		}
		assertThat(ran).hasValue(100);
	}

	private static final class CountingTarget implements io.hybridserver.http.FlushTarget {

		private final AtomicInteger flushes = new AtomicInteger();

		private boolean pending;

		@Override
		public boolean markFlushPending() {
			if (this.pending) {
				return false;
			}
			this.pending = true;
			return true;
		}

		@Override
		public void flushNow() {
			this.pending = false;
			this.flushes.incrementAndGet();
		}

	}

}
