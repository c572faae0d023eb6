package io.hybridserver.http;

import java.util.concurrent.Executor;

/**
 * How work from the application tier reaches an event loop: a {@link ResponseLane} per loop. Implemented by the
 * dispatch tier (a bounded MPSC queue per loop, drained in batches with one wake-up and one flush per connection).
 */
@FunctionalInterface
public interface ResponseRoute {

	/** The lane into the given event loop; the same lane for the same loop. */
	ResponseLane laneFor(Executor eventLoop);

}
