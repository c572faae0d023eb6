package io.hybridserver.servlet.spec;

import java.nio.charset.Charset;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Charset#forName} for the request path. The JDK keeps only the last two names looked up; past those, every
 * lookup takes a lock on the JDK's one charset provider, shared by every thread of the process. Requests name the same
 * few charsets over and over, so the answers are kept here, without a lock: at most {@value #MAX} names, and only the
 * JDK's own charsets, so that no application class (a charset provider's) is held past a devtools restart.
 */
final class KnownCharsets {

	private static final int MAX = 64;

	private static final ConcurrentHashMap<String, Charset> BY_NAME = new ConcurrentHashMap<>();

	private KnownCharsets() {
	}

	/**
	 * The charset of that name.
	 * @throws java.nio.charset.IllegalCharsetNameException if the name is not legal
	 * @throws java.nio.charset.UnsupportedCharsetException if no charset has that name
	 */
	static Charset forName(String name) {
		Charset charset = BY_NAME.get(name);
		if (charset == null) {
			charset = Charset.forName(name);
			if (charset.getClass().getClassLoader() == null && BY_NAME.size() < MAX) {
				BY_NAME.putIfAbsent(name, charset);
			}
		}
		return charset;
	}

}
