package io.hybridserver.servlet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Builds, starts and feeds a {@link ServletContainer} in memory. */
final class ContainerFixture {

	/** A servlet body as a lambda. */
	@FunctionalInterface
	interface Handler {

		void handle(HttpServletRequest request, HttpServletResponse response) throws IOException, ServletException;

	}

	final ServletDeployment deployment = new ServletDeployment();

	private final List<ServletContextStartup> startups = new ArrayList<>();

	ServletContainer container;

	ContainerFixture() {
		// Most tests print non-ASCII text; the ISO-8859-1 default is tested on its own.
		this.deployment.setDefaultResponseCharacterEncoding("UTF-8");
	}

	ContainerFixture startup(ServletContextStartup startup) {
		this.startups.add(startup);
		return this;
	}

	ContainerFixture servlet(String name, Handler handler, String... patterns) {
		return startup((ctx) -> ctx.addServlet(name, servlet(handler)).addMapping(patterns));
	}

	ContainerFixture start() throws ServletException {
		this.container = new ServletContainer(this.deployment);
		this.container.start(this.startups);
		// As the web server does when it starts: load-on-startup servlets, and a failure there ends the container.
		try {
			this.container.loadOnStartup();
		}
		catch (ServletException ex) {
			this.container.stop();
			throw ex;
		}
		return this;
	}

	TestExchange run(TestExchange exchange) {
		this.container.handle(exchange);
		if (!exchange.ended()) {
			throw new AssertionError("exchange was left unanswered");
		}
		return exchange;
	}

	TestExchange get(String target) {
		return run(TestExchange.get(target));
	}

	static HttpServlet servlet(Handler handler) {
		return new HttpServlet() {
			@Override
			protected void service(HttpServletRequest req, HttpServletResponse resp)
					throws ServletException, IOException {
				handler.handle(req, resp);
			}
		};
	}

}
