package io.hybridserver.servlet.spec;

import java.security.Principal;
import java.util.Collection;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpUpgradeHandler;
import jakarta.servlet.http.Part;

/**
 * The request features this container does not offer yet, answered in one place the way the spec allows: no
 * container security (no user, no roles, {@code login} fails), no multipart parsing, and no HTTP upgrade.
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

	// ---- not yet: multipart, upgrade -------------------------------------------------------------------------

	@Override
	public Collection<Part> getParts() throws ServletException {
		throw new ServletException("Multipart requests are not supported yet");
	}

	@Override
	public Part getPart(String name) throws ServletException {
		throw new ServletException("Multipart requests are not supported yet");
	}

	@Override
	public <T extends HttpUpgradeHandler> T upgrade(Class<T> handlerClass) throws ServletException {
		throw new ServletException("HTTP upgrade is not supported");
	}

}
