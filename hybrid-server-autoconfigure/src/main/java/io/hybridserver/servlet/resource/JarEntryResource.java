package io.hybridserver.servlet.resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * An entry under {@code META-INF/resources} of a jar the index holds open. Its content is read from that
 * {@link JarFile} itself: opening its URL instead would go through the URL handler's cache of jar files, a lock shared
 * by every request (Spring Boot's nested jars) or a lookup per call.
 */
final class JarEntryResource implements StaticResource {

	private final JarFile jar;

	private final JarEntry entry;

	private final URL root;

	private final String name;

	private final boolean directory;

	private volatile URL url;

	/**
	 * @param jar the open jar
	 * @param entry its entry, {@code null} for a directory the jar lists no entry of its own for
	 * @param root the URL of the jar (or of its directory that stands for a class-path root), ending with {@code /}
	 * @param name the entry's name relative to {@code root}, used for the URL
	 * @param directory whether this is a directory
	 */
	JarEntryResource(JarFile jar, JarEntry entry, URL root, String name, boolean directory) {
		this.jar = jar;
		this.entry = entry;
		this.root = root;
		this.directory = directory;
		this.name = name;
	}

	@Override
	public URL url() {
		URL result = this.url;
		if (result == null) {
			try {
				// Relative to the class-path root: the root's own handler (the JDK's, or Spring Boot's for nested jars).
				result = new URL(this.root, ResourcePaths.encode(this.name));
			}
			catch (MalformedURLException ex) {
				throw new UncheckedIOException(ex);
			}
			this.url = result;
		}
		return result;
	}

	@Override
	public boolean isDirectory() {
		return this.directory;
	}

	@Override
	public InputStream open() throws IOException {
		if (this.directory || this.entry == null) {
			throw new IOException(this.name + " is a directory");
		}
		try {
			return this.jar.getInputStream(this.entry);
		}
		catch (IllegalStateException ex) {
			// The context stopped and closed its jars: a read, not a programming error, failed.
			throw new IOException("Cannot read " + this + ": " + ex.getMessage(), ex);
		}
	}

	@Override
	public Attributes attributes() {
		long time = (this.entry != null) ? this.entry.getTime() : 0;
		return new Attributes((this.entry != null && !this.directory) ? this.entry.getSize() : -1, Math.max(time, 0));
	}

	@Override
	public String toString() {
		return this.root + this.name;
	}

}
