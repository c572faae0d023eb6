package io.hybridserver.servlet.resource;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;

/**
 * What a class loader that cannot be listed answered for {@code META-INF/resources/...}: its content and attributes
 * come through the URL, as they would without the index.
 */
final class ClassLoaderResource implements StaticResource {

	private final URL url;

	ClassLoaderResource(URL url) {
		this.url = url;
	}

	@Override
	public URL url() {
		return this.url;
	}

	/** Jar URLs of directories end with a slash; a class loader does not return other directories here. */
	@Override
	public boolean isDirectory() {
		return this.url.getPath().endsWith("/");
	}

	@Override
	public InputStream open() throws IOException {
		URLConnection connection = this.url.openConnection();
		connection.setUseCaches(false);
		return connection.getInputStream();
	}

	@Override
	public Attributes attributes() throws IOException {
		URLConnection connection = this.url.openConnection();
		connection.setUseCaches(false);
		long length = connection.getContentLengthLong();
		long lastModified = connection.getLastModified();
		// Opening a jar or file connection to read its attributes holds a stream: close it.
		connection.getInputStream().close();
		return new Attributes(length, lastModified);
	}

	@Override
	public String toString() {
		return this.url.toString();
	}

}
