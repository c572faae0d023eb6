package io.hybridserver.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LoopDispatch} on a real Netty I/O event loop: exchanges enqueued in one pass of the loop wake workers once,
 * after the pass; from any other thread, or on a loop that is not an I/O loop, every dispatch wakes at once.
 */
class LoopDispatchTest {

	private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

	private final EventLoop loop = this.group.next();

	private final RecordingDispatcher dispatcher = new RecordingDispatcher();

	private final LoopDispatch dispatch = new LoopDispatch.PerLoop(this.dispatcher).forLoop(this.loop);

	@AfterEach
	void stopLoop() throws Exception {
		this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
	}

	@Test
	void exchangesOfOnePassWakeWorkersOnceAfterIt() throws Exception {
		this.loop.submit(() -> {
			for (int i = 0; i < 5; i++) {
				assertThat(this.dispatch.dispatch(null)).isTrue();
			}
			this.dispatcher.calls.add("pass ends");
		}).sync();
		awaitCalls(7);

		assertThat(this.dispatcher.calls).containsExactly("enqueue", "enqueue", "enqueue", "enqueue", "enqueue",
				"pass ends", "wake 5");
	}

	@Test
	void eachPassWakesForItsOwnExchanges() throws Exception {
		this.loop.submit(() -> this.dispatch.dispatch(null)).sync();
		awaitCalls(2);
		this.loop.submit(() -> {
			this.dispatch.dispatch(null);
			this.dispatch.dispatch(null);
		}).sync();
		awaitCalls(5);

		assertThat(this.dispatcher.calls).containsExactly("enqueue", "wake 1", "enqueue", "enqueue", "wake 2");
	}

	@Test
	void aRefusedExchangeWakesNobody() throws Exception {
		this.dispatcher.refuse = true;
		this.loop.submit(() -> assertThat(this.dispatch.dispatch(null)).isFalse()).sync();
		// A pass that surely ends after the first: one scheduled from its own after-iteration task.
		this.loop.submit(() -> ((io.netty.channel.SingleThreadEventLoop) this.loop)
			.executeAfterEventLoopIteration(() -> this.loop.execute(() -> this.dispatcher.calls.add("later pass"))))
			.sync();
		awaitCalls(2);

		assertThat(this.dispatcher.calls).containsExactly("enqueue", "later pass");
	}

	/** Waits until the dispatcher has seen {@code count} calls: a pass's after-iteration tasks run after its tasks. */
	private void awaitCalls(int count) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (this.dispatcher.calls.size() < count && System.nanoTime() < deadline) {
			Thread.sleep(1);
		}
		// Give a wrong extra call the chance to show.
		Thread.sleep(20);
	}

	@Test
	void offTheLoopEveryDispatchWakesAtOnce() {
		assertThat(this.dispatch.dispatch(null)).isTrue();
		assertThat(this.dispatch.dispatch(null)).isTrue();

		assertThat(this.dispatcher.calls).containsExactly("dispatch", "dispatch");
	}

	@Test
	void onALoopThatIsNotAnIoLoopEveryDispatchWakesAtOnce() throws Exception {
		// DefaultEventLoop never runs after-iteration tasks: a deferred wake-up there would never come.
		EventLoop plain = new DefaultEventLoop();
		try {
			LoopDispatch onPlain = new LoopDispatch.PerLoop(this.dispatcher).forLoop(plain);
			plain.submit(() -> onPlain.dispatch(null)).sync();
		}
		finally {
			plain.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
		}

		assertThat(this.dispatcher.calls).containsExactly("dispatch");
	}

	/** Records what the loop asked of the request queue, in order. */
	private static final class RecordingDispatcher implements ExchangeDispatcher {

		final List<String> calls = new CopyOnWriteArrayList<>();

		volatile boolean refuse;

		@Override
		public boolean dispatch(Exchange exchange) {
			this.calls.add("dispatch");
			return !this.refuse;
		}

		@Override
		public boolean enqueue(Exchange exchange) {
			this.calls.add("enqueue");
			return !this.refuse;
		}

		@Override
		public void wakeWorkersFor(int enqueued) {
			this.calls.add("wake " + enqueued);
		}

	}

}
