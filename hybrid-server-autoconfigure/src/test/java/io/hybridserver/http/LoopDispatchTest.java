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
		this.loop.submit(() -> this.dispatcher.calls.add("next pass")).sync();

		assertThat(this.dispatcher.calls).containsExactly("enqueue", "enqueue", "enqueue", "enqueue", "enqueue",
				"pass ends", "wake 5", "next pass");
	}

	@Test
	void eachPassWakesForItsOwnExchanges() throws Exception {
		this.loop.submit(() -> this.dispatch.dispatch(null)).sync();
		this.loop.submit(() -> {
			this.dispatch.dispatch(null);
			this.dispatch.dispatch(null);
		}).sync();
		this.loop.submit(() -> this.dispatcher.calls.add("idle pass")).sync();

		assertThat(this.dispatcher.calls).containsExactly("enqueue", "wake 1", "enqueue", "enqueue", "wake 2",
				"idle pass");
	}

	@Test
	void aRefusedExchangeWakesNobody() throws Exception {
		this.dispatcher.refuse = true;
		this.loop.submit(() -> assertThat(this.dispatch.dispatch(null)).isFalse()).sync();
		this.loop.submit(() -> this.dispatcher.calls.add("next pass")).sync();

		assertThat(this.dispatcher.calls).containsExactly("enqueue", "next pass");
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
