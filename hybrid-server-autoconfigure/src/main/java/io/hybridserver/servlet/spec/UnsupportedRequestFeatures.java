package io.hybridserver.servlet.spec;

import java.security.Principal;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The request features this container does not offer yet, answered in one place the way the spec allows: no
 * container security (no user, no roles, {@code login} fails).
 * Keeping them apart keeps {@link RequestFacade} about what does work.
 */
abstract class UnsupportedRequestFeatures implements HttpServletRequest {

	// ---- security: none yet ----------------------------------------------------------------------------------------

	@Override
	public String getAuthType() {
		return null;
	}

	@Override
	public String getRemoteUser() {
		return null;
	}

	@Override
	public boolean isUserInRole(String role) {
		return false;
	}

	@Override
	public Principal getUserPrincipal() {
		return null;
	}

	@Override
	public boolean authenticate(HttpServletResponse response) {
		return false;
	}

	@Override
	public void login(String username, String password) throws ServletException {
		throw new ServletException("Container authentication is not supported");
	}

	@Override
	public void logout() {
		// nothing to log out of
	}

}
