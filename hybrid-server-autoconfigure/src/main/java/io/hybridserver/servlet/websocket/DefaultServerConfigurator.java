package io.hybridserver.servlet.websocket;

import java.util.ArrayList;
import java.util.List;

import jakarta.websocket.Extension;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * The container's default {@link ServerEndpointConfig.Configurator}, found by the Jakarta API through
 * {@code META-INF/services}: every configurator's unoverridden methods come here. The first subprotocol of the
 * server's list that the client asked for wins; extensions the client asked for and the server has, in the client's
 * order; any origin is accepted (origin checks are the framework's, as Spring's {@code OriginHandshakeInterceptor});
 * one new endpoint instance per session.
 */
public class DefaultServerConfigurator extends ServerEndpointConfig.Configurator {

	@Override
	public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
		for (String candidate : supported) {
			if (candidate != null && requested.contains(candidate)) {
				return candidate;
			}
		}
		return "";
	}

	@Override
	public List<Extension> getNegotiatedExtensions(List<Extension> installed, List<Extension> requested) {
		List<Extension> result = new ArrayList<>();
		for (Extension wanted : requested) {
			for (Extension have : installed) {
				if (have.getName().equals(wanted.getName())) {
					result.add(wanted);
					break;
				}
			}
		}
		return result;
	}

	@Override
	public boolean checkOrigin(String originHeaderValue) {
		return true;
	}

	@Override
	public void modifyHandshake(ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
	}

	@Override
	public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
		try {
			return endpointClass.getConstructor().newInstance();
		}
		catch (ReflectiveOperationException ex) {
			InstantiationException failure = new InstantiationException("Cannot create an instance of "
					+ endpointClass.getName() + " through its public no-arg constructor");
			failure.initCause(ex);
			throw failure;
		}
	}

}
