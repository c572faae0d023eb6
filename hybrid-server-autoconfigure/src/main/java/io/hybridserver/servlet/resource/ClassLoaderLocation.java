package io.hybridserver.servlet.resource;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The last resort, for a class loader the index could not list (neither a {@code URLClassLoader} nor the JDK's
 * application class loader): it is asked for {@code META-INF/resources/...} itself. Only lookups that the index and
 * the directories missed come here, and the cache keeps them from repeating on every request.
 */
final class ClassLoaderLocation {

	private static final Log logger = LogFactory.getLog(ClassLoaderLocation.class);

	private static final String ROOT = "META-INF/resources";

	private final ClassLoader classLoader;

	ClassLoaderLocation(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	StaticResource find(String path) {
		URL url = this.classLoader.getResource(ROOT + path);
		return (url != null) ? new ClassLoaderResource(url) : null;
	}

	void list(String directory, Set<String> into) {
		try {
			Enumeration<URL> roots = this.classLoader.getResources(ROOT + directory);
			while (roots.hasMoreElements()) {
				listChildren(roots.nextElement(), directory, into);
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Cannot list resources under " + directory, ex);
		}
	}

	private static void listChildren(URL url, String directory, Set<String> into) throws IOException {
		if ("file".equals(url.getProtocol())) {
			try (Stream<Path> children = Files.list(Path.of(URI.create(url.toString())))) {
				children.forEach(
						(child) -> into.add(directory + child.getFileName() + (Files.isDirectory(child) ? "/" : "")));
			}
			return;
		}
		URLConnection connection = url.openConnection();
		if (connection instanceof JarURLConnection jar) {
			jar.setUseCaches(false);
			String prefix = jar.getEntryName();
			try (JarFile file = jar.getJarFile()) {
				for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements();) {
					String name = entries.nextElement().getName();
					if (prefix != null && name.startsWith(prefix) && name.length() > prefix.length()) {
						String rest = name.substring(prefix.length());
						int slash = rest.indexOf('/');
						into.add(directory + ((slash < 0) ? rest : rest.substring(0, slash + 1)));
					}
				}
			}
		}
	}

}
