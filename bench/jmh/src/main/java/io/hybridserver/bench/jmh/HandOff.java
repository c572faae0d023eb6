package io.hybridserver.bench.jmh;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.hybridserver.dispatch.DispatchObserver;
import io.hybridserver.dispatch.Dispatcher;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;

/**
 * One way to hand a task from a producer thread (in the server: an event loop) to another thread that runs it.
 * {@link #offer} never blocks: a full queue answers {@code false}, and the benchmark retries, as an event loop would
 * stop reading instead.
 */
abstract class HandOff implements AutoCloseable {

	abstract boolean offer(Runnable task);

	/** Builds the hand-off a benchmark parameter names. */
	static HandOff create(String kind, int workers, int capacity) {
		return switch (kind) {
			case "hybrid" -> new HybridDispatcher(workers, capacity);
			case "abq" -> new Executor(workers, new ArrayBlockingQueue<>(capacity));
			case "lbq" -> new Executor(workers, new LinkedBlockingQueue<>(capacity));
			case "netty-epoll" -> new NettyLoop(new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory()));
			case "netty-default" -> new NettyLoop(new DefaultEventLoop());
			default -> throw new IllegalArgumentException("Unknown hand-off: " + kind);
		};
	}

	/**
	 * The hybrid server's own request queue and platform workers, through its public entry point: a JCTools MPMC array
	 * queue, a few workers kept awake taking task after task, a parked one woken only when fewer are awake.
	 */
	static final class HybridDispatcher extends HandOff {

		private final Dispatcher dispatcher;

		HybridDispatcher(int workers, int capacity) {
			this.dispatcher = Dispatcher.platformThreads(workers, capacity,
					(exchange) -> ((TaskExchange) exchange).task.run(), DispatchObserver.NONE);
		}

		@Override
		boolean offer(Runnable task) {
			return this.dispatcher.dispatch(new TaskExchange(task));
		}

		@Override
		public void close() {
			this.dispatcher.stop(1000);
		}

	}

	/** A {@link ThreadPoolExecutor} with all its threads started: how Tomcat and most servers hand off. */
	static final class Executor extends HandOff {

		private final ThreadPoolExecutor executor;

		Executor(int workers, BlockingQueue<Runnable> queue) {
			this.executor = new ThreadPoolExecutor(workers, workers, 60, TimeUnit.SECONDS, queue);
			this.executor.prestartAllCoreThreads();
		}

		@Override
		boolean offer(Runnable task) {
			try {
				this.executor.execute(task);
				return true;
			}
			catch (RejectedExecutionException ex) {
				return false;
			}
		}

		@Override
		public void close() throws InterruptedException {
			this.executor.shutdownNow();
			this.executor.awaitTermination(1, TimeUnit.SECONDS);
		}

	}

	/** A Netty event loop's task queue: what an application hands to a loop with {@code execute}. */
	static final class NettyLoop extends HandOff {

		private final EventLoopGroup group;

		private final EventLoop loop;

		NettyLoop(EventLoopGroup group) {
			this.group = group;
			this.loop = group.next();
		}

		@Override
		boolean offer(Runnable task) {
			this.loop.execute(task);
			return true;
		}

		@Override
		public void close() {
			this.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
		}

	}

}
