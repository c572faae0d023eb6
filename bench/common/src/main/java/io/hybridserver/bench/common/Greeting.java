package io.hybridserver.bench.common;

import java.util.List;

/**
 * The body of {@code GET /json}: about 200 bytes once serialized. The Spring contenders serialize it on every request,
 * as an application would; bare Netty answers {@link #JSON}, the same bytes, precomputed.
 *
 * <p>Components are declared in alphabetical order so that the bytes do not depend on whether the JSON mapper sorts
 * properties (Jackson 3 does by default, Jackson 2 did not). The harness checks that every contender answers
 * byte-identical bodies before it measures anything.
 */
public record Greeting(long id, String message, String server, List<String> tags, String timestamp, String version) {

	/** The one instance every request answers. */
	public static final Greeting INSTANCE = new Greeting(1, "Hello, World! This JSON is the benchmark payload.",
			"hybrid-server-bench", List.of("json", "http", "keep-alive", "tls"), "2026-01-01T00:00:00Z", "0.1.0");

	/** {@link #INSTANCE} as a JSON mapper writes it: compact, components in declaration order. */
	public static final String JSON = "{\"id\":1,\"message\":\"Hello, World! This JSON is the benchmark payload.\","
			+ "\"server\":\"hybrid-server-bench\",\"tags\":[\"json\",\"http\",\"keep-alive\",\"tls\"],"
			+ "\"timestamp\":\"2026-01-01T00:00:00Z\",\"version\":\"0.1.0\"}";

}
