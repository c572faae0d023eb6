package io.hybridserver.servlet.resource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** A file or directory under the document root or a class-path directory's {@code META-INF/resources}. */
final class FileResource implements StaticResource {

	private final Path file;

	private final boolean directory;

	private final URL url;

	FileResource(Path file, boolean directory) {
		this.file = file;
		this.directory = directory;
		try {
			this.url = file.toUri().toURL();
		}
		catch (MalformedURLException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	Path file() {
		return this.file;
	}

	@Override
	public URL url() {
		return this.url;
	}

	@Override
	public boolean isDirectory() {
		return this.directory;
	}

	@Override
	public InputStream open() throws IOException {
		return Files.newInputStream(this.file);
	}

	@Override
	public Attributes attributes() throws IOException {
		BasicFileAttributes attributes = Files.readAttributes(this.file, BasicFileAttributes.class);
		return new Attributes(attributes.size(), attributes.lastModifiedTime().toMillis());
	}

	@Override
	public String toString() {
		return this.file.toString();
	}

}
