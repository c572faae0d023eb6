package io.hybridserver.servlet.resource;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The class-path roots behind a class loader, read once at startup: the URLs of every {@link URLClassLoader} in its
 * parent chain (Spring Boot's executable-jar loader, devtools' restart loader, most servlet and test loaders), and
 * {@code java.class.path} for the JDK's application class loader, parents first as the loaders delegate. A loader
 * that is neither cannot be listed; it is then asked at lookup time instead (see {@link ClassLoaderLocation}).
 */
final class ClassPathRoots {

	private final List<URL> urls;

	private final ClassLoader unlisted;

	private ClassPathRoots(List<URL> urls, ClassLoader unlisted) {
		this.urls = urls;
		this.unlisted = unlisted;
	}

	static ClassPathRoots of(ClassLoader classLoader) {
		Deque<ClassLoader> chain = new ArrayDeque<>();
		for (ClassLoader loader = classLoader; loader != null; loader = loader.getParent()) {
			chain.push(loader);
		}
		ClassLoader system = ClassLoader.getSystemClassLoader();
		ClassLoader platform = ClassLoader.getPlatformClassLoader();
		List<URL> urls = new ArrayList<>();
		ClassLoader unlisted = null;
		for (ClassLoader loader : chain) {
			if (loader instanceof URLClassLoader urlLoader) {
				urls.addAll(List.of(urlLoader.getURLs()));
			}
			else if (loader == system) {
				urls.addAll(javaClassPath());
			}
			else if (loader != platform) {
				// The nearest such loader is the one to ask: it sees what its parents see too.
				unlisted = loader;
			}
		}
		return new ClassPathRoots(urls, unlisted);
	}

	private static List<URL> javaClassPath() {
		List<URL> urls = new ArrayList<>();
		String classPath = System.getProperty("java.class.path", "");
		for (String element : classPath.split(File.pathSeparator)) {
			if (!element.isEmpty()) {
				try {
					urls.add(new File(element).toURI().toURL());
				}
				catch (MalformedURLException ex) {
					// Not a usable path: the class loader cannot read it either.
				}
			}
		}
		return urls;
	}

	/** The roots, parents' first, possibly with repeats (a root seen by two loaders). */
	List<URL> urls() {
		return this.urls;
	}

	/** The class loader to ask at lookup time, {@code null} when every loader in the chain was listed. */
	ClassLoader unlisted() {
		return this.unlisted;
	}

	/** The file a {@code file:} URL names, or {@code null}. */
	static File file(URL url) {
		if (!"file".equals(url.getProtocol())) {
			return null;
		}
		try {
			return new File(url.toURI());
		}
		catch (URISyntaxException | IllegalArgumentException ex) {
			return new File(url.getPath());
		}
	}

	/** A manifest {@code Class-Path} entry, relative to the jar that names it. */
	static URL resolve(URL jar, String entry) {
		try {
			return URI.create(jar.toString()).resolve(entry).toURL();
		}
		catch (IllegalArgumentException | MalformedURLException ex) {
			return null;
		}
	}

}
