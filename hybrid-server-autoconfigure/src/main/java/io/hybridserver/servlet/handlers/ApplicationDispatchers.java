package io.hybridserver.servlet.handlers;

import io.hybridserver.servlet.core.ClientErrorException;
import io.hybridserver.servlet.core.Dispatchers;
import io.hybridserver.servlet.core.RequestTarget;
import io.hybridserver.servlet.core.ServletHolder;
import io.hybridserver.servlet.core.ServletMatch;
import io.hybridserver.servlet.core.WebApplication;
import jakarta.servlet.RequestDispatcher;

/** Creates {@link ApplicationDispatcher}s for the context facade and for requests. */
public final class ApplicationDispatchers implements Dispatchers {

	private final WebApplication application;

	public ApplicationDispatchers(WebApplication application) {
		this.application = application;
	}

	@Override
	public RequestDispatcher forPath(String pathWithQuery) {
		int q = pathWithQuery.indexOf('?');
		String query = (q >= 0) ? pathWithQuery.substring(q + 1) : null;
		String rawPath = (q >= 0) ? pathWithQuery.substring(0, q) : pathWithQuery;
		String path;
		try {
			path = normalize(rawPath);
		}
		catch (ClientErrorException ex) {
			return null;
		}
		ServletMatch match = this.application.mapper().map(path);
		return (match != null) ? new ApplicationDispatcher(this.application, match, path, query) : null;
	}

	/** Dispatch paths come from the application, not the wire: normalised (no climbing out), never decoded. */
	private static String normalize(String rawPath) {
		return RequestTarget.parse(rawPath.replace("%", "%25")).path();
	}

	@Override
	public RequestDispatcher forName(String servletName) {
		ServletHolder holder = this.application.servlet(servletName);
		if (holder == null) {
			return null;
		}
		return new ApplicationDispatcher(this.application, ServletMatch.named(holder, "", null), null, null);
	}

}
