package io.hybridserver.apps.dispatch;

import java.io.IOException;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.error.ErrorPage;
import org.springframework.boot.web.error.ErrorPageRegistrar;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;

/**
 * RequestDispatcher forward, include and named dispatch, and error pages by status, by exception type and Boot's
 * global one, as plain servlets beside Spring MVC.
 */
@SpringBootApplication
public class DispatchTestApplication {

	@Bean
	ErrorPageRegistrar errorPages() {
		return (registry) -> registry.addErrorPages(new ErrorPage(HttpStatus.GONE, "/pages/error"),
				new ErrorPage(IllegalArgumentException.class, "/pages/error"));
	}

	@Bean
	ServletRegistrationBean<HttpServlet> dispatching() {
		return new ServletRegistrationBean<>(new HttpServlet() {

			@Override
			protected void doGet(HttpServletRequest request, HttpServletResponse response)
					throws ServletException, IOException {
				switch (request.getPathInfo()) {
					case "/forward" -> request.getRequestDispatcher("/pages/target?extra=1").forward(request, response);
					case "/include" -> {
						response.setContentType("text/plain");
						response.getWriter().print("before|");
						request.getRequestDispatcher("/pages/target?extra=2").include(request, response);
						response.getWriter().print("|after");
					}
					case "/named" -> request.getServletContext().getNamedDispatcher("pages").forward(request, response);
					case "/gone" -> response.sendError(HttpServletResponse.SC_GONE, "it left");
					case "/bad" -> throw new IllegalArgumentException("bad argument on purpose");
					case "/other" -> throw new IllegalStateException("unmapped failure");
					default -> response.sendError(HttpServletResponse.SC_NOT_FOUND);
				}
			}

		}, "/dispatch/*");
	}

	@Bean
	ServletRegistrationBean<HttpServlet> pages() {
		ServletRegistrationBean<HttpServlet> registration = new ServletRegistrationBean<>(new HttpServlet() {

			@Override
			protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
				response.setContentType("text/plain");
				if ("/error".equals(request.getPathInfo())) {
					response.getWriter().print("error page " + request.getDispatcherType() + " status="
							+ request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) + " type="
							+ request.getAttribute(RequestDispatcher.ERROR_EXCEPTION_TYPE) + " uri="
							+ request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) + " message="
							+ request.getAttribute(RequestDispatcher.ERROR_MESSAGE));
					return;
				}
				response.getWriter().print("target " + request.getDispatcherType() + " uri=" + request.getRequestURI()
						+ " extra=" + request.getParameter("extra") + " forwardUri="
						+ request.getAttribute(RequestDispatcher.FORWARD_REQUEST_URI) + " includeUri="
						+ request.getAttribute(RequestDispatcher.INCLUDE_REQUEST_URI));
			}

		}, "/pages/*");
		registration.setName("pages");
		return registration;
	}

}
