package io.hybridserver.servlet.core;

/**
 * Implemented by the container's request so that a filter chain can say that a filter or servlet on the way does not
 * support asynchronous processing, which makes {@code isAsyncSupported()} false for the rest of the dispatch
 * (spec 2.3.3.3). An interface here keeps the engine from depending on the spec facades above it.
 */
public interface AsyncSupportFlag {

	/** A filter or servlet of the current dispatch was registered without async support. */
	void asyncUnsupported();

}
