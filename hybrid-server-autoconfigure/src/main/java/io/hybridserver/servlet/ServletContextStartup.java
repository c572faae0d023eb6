package io.hybridserver.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;

/**
 * Code that configures the servlet context before the container starts: registers servlets, filters and listeners.
 * Spring Boot's {@code ServletContextInitializer}s are adapted to this interface by the Boot integration, which keeps
 * this package free of Spring types.
 */
@FunctionalInterface
public interface ServletContextStartup {

	/**
	 * Configures the context. Runs once, in the order given to {@link ServletContainer#start}, while registration
	 * methods are still allowed.
	 * @param ctx the context being started
	 * @throws ServletException to fail the start
	 */
	void onStartup(ServletContext ctx) throws ServletException;

}
