package io.hybridserver.accesslog;

/** One piece of a compiled access log pattern: literal text or a %-code. */
@FunctionalInterface
interface PatternElement {

	/** Appends this piece of the line for the entry. */
	void append(AccessLogEntry entry, StringBuilder line);

}
