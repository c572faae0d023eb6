package io.hybridserver.servlet.core;

import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Init parameters shared by servlet and filter registrations, with the spec's "first set wins" rule.
 */
abstract class Registrations {

	private final Map<String, String> initParameters = new LinkedHashMap<>();

	private final WebApplication application;

	Registrations(WebApplication application) {
		this.application = application;
	}

	WebApplication application() {
		return this.application;
	}

	public String getInitParameter(String name) {
		return this.initParameters.get(name);
	}

	public Map<String, String> getInitParameters() {
		return Collections.unmodifiableMap(this.initParameters);
	}

	public boolean setInitParameter(String name, String value) {
		if (name == null || value == null) {
			throw new IllegalArgumentException("Init parameter name and value must not be null");
		}
		this.application.checkNotStarted();
		return this.initParameters.putIfAbsent(name, value) == null;
	}

	public Set<String> setInitParameters(Map<String, String> initParameters) {
		this.application.checkNotStarted();
		for (Map.Entry<String, String> entry : initParameters.entrySet()) {
			if (entry.getKey() == null || entry.getValue() == null) {
				throw new IllegalArgumentException("Init parameter name and value must not be null");
			}
		}
		Set<String> conflicts = new java.util.LinkedHashSet<>();
		for (Map.Entry<String, String> entry : initParameters.entrySet()) {
			if (this.initParameters.containsKey(entry.getKey())) {
				conflicts.add(entry.getKey());
			}
		}
		if (conflicts.isEmpty()) {
			this.initParameters.putAll(initParameters);
		}
		return conflicts;
	}

	Enumeration<String> initParameterNames() {
		return Collections.enumeration(this.initParameters.keySet());
	}

}
