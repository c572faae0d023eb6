package io.hybridserver.servlet.resource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A directory whose files may change while the application runs: the document root, or the
 * {@code META-INF/resources} of a class-path directory (an IDE's or {@code spring-boot:run}'s output, which devtools
 * does not restart for). Looked at on the file system, one {@code stat} per lookup; the cache in front keeps that
 * from happening on every request.
 */
final class DirectoryLocation {

	private static final Log logger = LogFactory.getLog(DirectoryLocation.class);

	private final Path root;

	DirectoryLocation(Path root) {
		this.root = root.toAbsolutePath().normalize();
	}

	Path root() {
		return this.root;
	}

	/** The file or directory at an {@linkplain ResourcePaths#isAcceptable acceptable} path, or {@code null}. */
	FileResource find(String path) {
		Path file = (path.length() == 1) ? this.root : this.root.resolve(path.substring(1));
		try {
			BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
			return new FileResource(file, attributes.isDirectory());
		}
		catch (NoSuchFileException ex) {
			return null;
		}
		catch (IOException | SecurityException ex) {
			logger.debug("Cannot read " + file, ex);
			return null;
		}
	}

	/** Adds the children of a directory path ending with {@code /}: files as they are, directories with a slash. */
	void list(String directory, Set<String> into) {
		Path dir = (directory.length() == 1) ? this.root : this.root.resolve(directory.substring(1));
		if (!Files.isDirectory(dir)) {
			return;
		}
		try (Stream<Path> children = Files.list(dir)) {
			children.forEach(
					(child) -> into.add(directory + child.getFileName() + (Files.isDirectory(child) ? "/" : "")));
		}
		catch (IOException | SecurityException ex) {
			logger.debug("Cannot list " + dir, ex);
		}
	}

	@Override
	public String toString() {
		return this.root.toString();
	}

}
