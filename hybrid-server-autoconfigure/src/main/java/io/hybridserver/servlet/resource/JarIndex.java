package io.hybridserver.servlet.resource;

import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The {@code META-INF/resources} entries of every jar on the class path, merged into one map at startup: a lookup is
 * one hash probe whatever the number of jars, and a path in several jars resolves to the first in class-path order, as
 * the class loader would. Jars do not change while they are open, so the index never goes stale; devtools restarts
 * build a new context, and with it a new index. Read-only once built, hence safe to share between threads.
 */
final class JarIndex {

	static final String RESOURCES = "META-INF/resources/";

	/** By context-relative path: files as {@code /a/b.css}, directories without their trailing slash (but {@code /}). */
	private final Map<String, JarEntryResource> resources = new HashMap<>();

	/** Children by directory path ending with {@code /}, directories among them with a trailing slash. */
	private final Map<String, Set<String>> children = new HashMap<>();

	private int jars;

	/**
	 * Adds a jar's entries under {@code base + META-INF/resources/}; paths already indexed from an earlier jar stay.
	 * @param jar the jar, kept open for reading the entries' content
	 * @param base the entry prefix that stands for the class-path root ({@code ""}, or e.g. {@code BOOT-INF/classes/})
	 * @param root the URL of that class-path root, ending with {@code /}, against which entries' URLs are made
	 * @return whether the jar held any such entry
	 */
	boolean add(JarFile jar, String base, URL root) {
		String prefix = base + RESOURCES;
		boolean found = false;
		for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements();) {
			JarEntry entry = entries.nextElement();
			String name = entry.getName();
			if (!name.startsWith(prefix)) {
				continue;
			}
			found = true;
			String relative = name.substring(base.length());
			String path = "/" + name.substring(prefix.length());
			boolean directory = entry.isDirectory();
			if (directory && path.length() > 1) {
				path = path.substring(0, path.length() - 1);
			}
			add(path, new JarEntryResource(jar, entry, root, relative, directory));
			addParents(jar, root, path);
		}
		if (found) {
			this.jars++;
		}
		return found;
	}

	/** Jars may leave out directory entries: every parent of an entry is a directory all the same. */
	private void addParents(JarFile jar, URL root, String path) {
		int slash = path.lastIndexOf('/');
		while (slash > 0) {
			String parent = path.substring(0, slash);
			if (this.resources.containsKey(parent)) {
				break;
			}
			add(parent, new JarEntryResource(jar, null, root, RESOURCES + parent.substring(1) + "/", true));
			slash = parent.lastIndexOf('/');
		}
	}

	private void add(String path, JarEntryResource resource) {
		if (this.resources.putIfAbsent(path, resource) != null || path.equals("/")) {
			return;
		}
		int slash = path.lastIndexOf('/');
		this.children.computeIfAbsent(path.substring(0, slash + 1), (key) -> new TreeSet<>())
			.add(resource.isDirectory() ? path + "/" : path);
	}

	/** The resource at a path; a trailing slash finds only directories. */
	JarEntryResource find(String path) {
		JarEntryResource resource = this.resources.get(path);
		if (resource == null && path.length() > 1 && path.endsWith("/")) {
			resource = this.resources.get(path.substring(0, path.length() - 1));
			return (resource != null && resource.isDirectory()) ? resource : null;
		}
		return resource;
	}

	/** The children of a directory path ending with {@code /}. */
	Set<String> list(String directory) {
		return this.children.getOrDefault(directory, Collections.emptySet());
	}

	/** How many jars had resources. */
	int jars() {
		return this.jars;
	}

	/** How many paths the index holds. */
	int size() {
		return this.resources.size();
	}

}
