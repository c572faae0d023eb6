package io.hybridserver.servlet.resource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;

/**
 * One resource of the context, as found by {@link StaticResources}: a file under the document root or a class-path
 * directory, an entry under {@code META-INF/resources} of a jar, or (for class loaders that cannot be listed) whatever
 * the class loader answered. Reading its content goes to that source directly, never through a URL handler.
 */
public interface StaticResource {

	/** The resource's URL, as {@code ServletContext.getResource} returns it. */
	URL url();

	/** Whether this is a directory, which has no content to serve. */
	boolean isDirectory();

	/**
	 * Opens the content.
	 * @throws IOException if it cannot be read (for a file: it may have gone since it was found)
	 */
	InputStream open() throws IOException;

	/** Size and modification time read together (one {@code stat} for a file), taken when the content is served. */
	Attributes attributes() throws IOException;

	/**
	 * What a validator needs.
	 * @param length the size in bytes, {@code -1} if unknown
	 * @param lastModified milliseconds since the epoch, {@code 0} if unknown
	 */
	record Attributes(long length, long lastModified) {
	}

}
