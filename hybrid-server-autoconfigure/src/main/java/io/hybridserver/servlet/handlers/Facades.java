package io.hybridserver.servlet.handlers;

import io.hybridserver.servlet.spec.RequestFacade;
import io.hybridserver.servlet.spec.ResponseFacade;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletRequestWrapper;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.ServletResponseWrapper;

/**
 * Finds the container's own request and response under any number of application wrappers (Spring and Spring
 * Security wrap both), because dispatching needs the real per-request state.
 */
final class Facades {

	private Facades() {
	}

	static RequestFacade request(ServletRequest request) {
		ServletRequest current = request;
		while (current instanceof ServletRequestWrapper wrapper) {
			current = wrapper.getRequest();
		}
		if (current instanceof RequestFacade facade) {
			return facade;
		}
		throw new IllegalArgumentException("Not a request of this container: " + request.getClass().getName());
	}

	static ResponseFacade response(ServletResponse response) {
		ServletResponse current = response;
		while (current instanceof ServletResponseWrapper wrapper) {
			current = wrapper.getResponse();
		}
		if (current instanceof ResponseFacade facade) {
			return facade;
		}
		throw new IllegalArgumentException("Not a response of this container: " + response.getClass().getName());
	}

}
