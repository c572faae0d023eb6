package io.hybridserver.boot;

/** Where a WebFlux application's {@code HttpHandler} runs ({@code server.hybrid.reactive.dispatch}). */
public enum ReactiveDispatchMode {

	/**
	 * On the dispatch tier's workers, through the request queue: a handler that blocks by mistake holds a worker, never
	 * an event loop. The default.
	 */
	WORKERS,

	/**
	 * On the event loop that decoded the request, as Reactor Netty runs it: one thread hand-off less per request, for
	 * applications that never block.
	 */
	EVENT_LOOP

}
