package io.hybridserver.servlet.spec;

/**
 * What the request flow does when an {@link AsyncContextFacade} changes state away from a container dispatch. The
 * request-flow package implements it per request; this interface keeps the spec facades from depending on it.
 */
public interface AsyncFlow {

	/** {@code dispatch()} was called while no container dispatch was running: run the ASYNC dispatch. */
	void dispatchAsync();

	/** {@code complete()} was called while no container dispatch was running: finish on the calling thread. */
	void completeAsync();

	/** The timeout elapsed and no listener completed or dispatched: answer 500 through the error pages. */
	void timedOut();

	/** The client went away while the request waited and no listener completed or dispatched: end it. */
	void connectionLost(Throwable cause);

	/** Why the client is known to be gone, or {@code null}: checked whenever the request starts waiting. */
	Throwable connectionLostCause();

}
