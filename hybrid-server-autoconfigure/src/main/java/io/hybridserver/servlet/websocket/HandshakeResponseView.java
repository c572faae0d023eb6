package io.hybridserver.servlet.websocket;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.websocket.HandshakeResponse;

/** The 101's header fields while {@code Configurator.modifyHandshake} may change them. */
final class HandshakeResponseView implements HandshakeResponse {

	private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

	@Override
	public Map<String, List<String>> getHeaders() {
		return this.headers;
	}

}
