package io.hybridserver.servlet.core;

import java.util.Map;

import jakarta.servlet.ServletException;

/**
 * Chooses the error page for a failure (spec 10.9.2): by exception type, the closest superclass winning, trying the
 * exception itself and then the root causes that {@link ServletException}s wrap; then by status code; then the global
 * page (Spring Boot registers {@code /error} that way).
 */
public final class ErrorPages {

	private final Map<Integer, String> byStatus;

	private final Map<Class<? extends Throwable>, String> byException;

	private final String global;

	public ErrorPages(Map<Integer, String> byStatus, Map<Class<? extends Throwable>, String> byException,
			String global) {
		this.byStatus = Map.copyOf(byStatus);
		this.byException = Map.copyOf(byException);
		this.global = global;
	}

	/** The page for an exception, or {@code null} when no exception page applies (status pages are asked next). */
	public String forException(Throwable failure) {
		for (Throwable t = failure; t != null; t = (t instanceof ServletException se) ? se.getRootCause() : null) {
			String location = closest(t.getClass());
			if (location != null) {
				return location;
			}
		}
		return null;
	}

	private String closest(Class<?> type) {
		for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
			String location = this.byException.get(c);
			if (location != null) {
				return location;
			}
		}
		return null;
	}

	/** The page for a status code, falling back to the global page; {@code null} when there is neither. */
	public String forStatus(int status) {
		String location = this.byStatus.get(status);
		return (location != null) ? location : this.global;
	}

}
