/**
 * A Jakarta Servlet 6.1 container that consumes {@link io.hybridserver.http.Exchange}s.
 *
 * <p>The public surface is small on purpose: {@link io.hybridserver.servlet.ServletDeployment} (what the user
 * declares), {@link io.hybridserver.servlet.ServletContainer} (lifecycle and the per-exchange entry point) and
 * {@link io.hybridserver.servlet.ServletContextStartup} (how initializers reach the context). Everything else lives in
 * sub-packages by role: {@code core} (registrations, mapping, filter chains, error pages, path decoding),
 * {@code session} (the in-memory session store), {@code spec} (the facades the application sees) and
 * {@code handlers} (how one request flows through dispatch, errors and completion).
 *
 * <p>Only {@code io.hybridserver.http}, {@code io.hybridserver.dispatch}, {@code jakarta.servlet} and the JDK may be
 * imported here; logging goes through Commons Logging
 * ({@code org.apache.commons.logging}, Spring's {@code spring-jcl}), so that every line reaches the application's
 * logging system.
 */
package io.hybridserver.servlet;
