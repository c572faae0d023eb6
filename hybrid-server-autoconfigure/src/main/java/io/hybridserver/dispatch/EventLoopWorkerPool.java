package io.hybridserver.dispatch;

/**
 * No workers at all: the event-loop dispatch mode, where handlers run on the I/O thread that decoded the request, as
 * Reactor Netty runs them. Only for handlers that never block; the reactive adapter offers it, the servlet container
 * cannot use it. Continuations run on the thread that signals them, which is the loop for I/O events.
 */
final class EventLoopWorkerPool implements WorkerPool {

	private final ExchangeRunner runner;

	EventLoopWorkerPool(ExchangeRunner runner) {
		this.runner = runner;
	}

	/** Runs the exchange now, on the calling event loop. */
	void run(io.hybridserver.http.Exchange exchange) {
		this.runner.run(exchange);
	}

	@Override
	public void onEnqueued(int count) {
		throw new IllegalStateException("Exchanges run on their event loop; nothing is queued");
	}

	@Override
	public void execute(Runnable task) {
		this.runner.runTask(task);
	}

	@Override
	public int busyWorkers() {
		return this.runner.busyWorkers();
	}

	@Override
	public int maxWorkers() {
		return 0;
	}

	@Override
	public void stop(long timeoutMillis) {
		// Handlers run on the loops, which the server stops after the dispatcher.
	}

}
