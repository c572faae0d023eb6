package io.hybridserver.servlet.websocket;

import java.util.List;

import jakarta.websocket.Extension;

/**
 * An extension by name, as installed or as a client offered it: negotiation here goes by name, and the parameters of
 * the accepted offer are the protocol layer's business ({@code io.hybridserver.websocket.PerMessageDeflate}).
 */
record NamedExtension(String getName) implements Extension {

	@Override
	public List<Parameter> getParameters() {
		return List.of();
	}

	/** The extensions a {@code Sec-WebSocket-Extensions} value offers, by name, in the client's order. */
	static List<Extension> offered(List<String> headerTokens) {
		return headerTokens.stream()
			.map((token) -> token.split(";", 2)[0].trim())
			.filter((name) -> !name.isEmpty())
			.<Extension>map(NamedExtension::new)
			.toList();
	}

}
