package io.hybridserver.servlet.core;

import jakarta.servlet.RequestDispatcher;

/**
 * Where the context facade gets {@link RequestDispatcher}s from. The request-flow package implements it; this
 * interface keeps the engine from depending on the flow that sits on top of it.
 */
public interface Dispatchers {

	/** A dispatcher for a context-relative path ({@code /x?y=1}), or {@code null} when nothing maps it. */
	RequestDispatcher forPath(String pathWithQuery);

	/** A dispatcher for a servlet by name, or {@code null} when there is no such servlet. */
	RequestDispatcher forName(String servletName);

}
