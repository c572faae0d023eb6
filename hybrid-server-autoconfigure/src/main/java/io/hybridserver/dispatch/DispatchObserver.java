package io.hybridserver.dispatch;

/**
 * Hears about hand-offs at the request queue, for metrics. Called on worker threads, so it must be cheap.
 */
@FunctionalInterface
public interface DispatchObserver {

	/** A no-op observer. */
	DispatchObserver NONE = (waitNanos) -> {
	};

	/** A worker took an exchange that waited {@code waitNanos} in the request queue. */
	void exchangeDequeued(long waitNanos);

}
