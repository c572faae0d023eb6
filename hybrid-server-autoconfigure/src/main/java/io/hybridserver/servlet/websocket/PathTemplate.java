package io.hybridserver.servlet.websocket;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code @ServerEndpoint} path: a relative URI template of level 1 (RFC 6570), whose segments are literal or a whole
 * {@code {name}} variable. Literal templates win over variable ones, as Jakarta WebSocket 2.2, 3.1.1 asks.
 */
final class PathTemplate {

	private final String path;

	private final String[] segments;

	private final int variables;

	PathTemplate(String path) {
		if (path == null || !path.startsWith("/")) {
			throw new IllegalArgumentException("A WebSocket endpoint path must start with '/': " + path);
		}
		this.path = path;
		this.segments = path.substring(1).split("/", -1);
		int count = 0;
		for (String segment : this.segments) {
			if (isVariable(segment)) {
				count++;
			}
			else if (segment.indexOf('{') >= 0 || segment.indexOf('}') >= 0) {
				throw new IllegalArgumentException("A path variable must be a whole segment: " + path);
			}
		}
		this.variables = count;
	}

	private static boolean isVariable(String segment) {
		return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
	}

	String path() {
		return this.path;
	}

	int variables() {
		return this.variables;
	}

	/** The variables' values if {@code requestPath} matches (values are percent-decoded by the caller), else null. */
	Map<String, String> match(String requestPath) {
		if (!requestPath.startsWith("/")) {
			return null;
		}
		String[] parts = requestPath.substring(1).split("/", -1);
		if (parts.length != this.segments.length) {
			return null;
		}
		Map<String, String> values = new LinkedHashMap<>();
		for (int i = 0; i < parts.length; i++) {
			String segment = this.segments[i];
			if (isVariable(segment)) {
				if (parts[i].isEmpty()) {
					return null;
				}
				values.put(segment.substring(1, segment.length() - 1), parts[i]);
			}
			else if (!segment.equals(parts[i])) {
				return null;
			}
		}
		return values;
	}

	/** The templates ordered for matching: fewer variables first, then the most literal prefix. */
	static List<PathTemplate> ordered(List<PathTemplate> templates) {
		List<PathTemplate> sorted = new ArrayList<>(templates);
		sorted.sort((a, b) -> {
			int byVariables = Integer.compare(a.variables, b.variables);
			return (byVariables != 0) ? byVariables : Integer.compare(b.firstVariable(), a.firstVariable());
		});
		return sorted;
	}

	private int firstVariable() {
		for (int i = 0; i < this.segments.length; i++) {
			if (isVariable(this.segments[i])) {
				return i;
			}
		}
		return this.segments.length;
	}

}
