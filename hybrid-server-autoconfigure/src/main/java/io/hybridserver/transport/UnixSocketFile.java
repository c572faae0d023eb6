package io.hybridserver.transport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The file of a Unix domain socket listener: made safe to bind before, given its permissions after, removed at stop.
 *
 * <p>A socket file outlives the process that bound it when that process was killed, and binding fails while it exists.
 * Before binding, an existing file is removed only when it is a socket that nobody accepts on (a connection attempt is
 * refused); a live socket of another process, or any other kind of file, fails startup with a message instead, because
 * removing it would silently take over another server's address or destroy a user's file.
 */
public final class UnixSocketFile {

	private static final Log logger = LogFactory.getLog(UnixSocketFile.class);

	private final Path path;

	private final Set<PosixFilePermission> permissions;

	/**
	 * @param path the socket file
	 * @param permissions the file's POSIX permissions after binding ({@code rw-rw----}), or {@code null} for the
	 * process's umask
	 */
	public UnixSocketFile(Path path, String permissions) {
		this.path = path.toAbsolutePath();
		this.permissions = (permissions != null) ? parsePermissions(permissions) : null;
	}

	/**
	 * Parses permissions as {@code ls -l} shows them ({@code rw-rw----}) or as an octal mode ({@code 660}).
	 * @throws IllegalArgumentException if neither
	 */
	public static Set<PosixFilePermission> parsePermissions(String text) {
		String value = text.trim();
		if (value.matches("0?[0-7]{3}")) {
			int mode = Integer.parseInt(value, 8);
			StringBuilder symbolic = new StringBuilder(9);
			String letters = "rwx";
			for (int bit = 8; bit >= 0; bit--) {
				symbolic.append(((mode >> bit) & 1) != 0 ? letters.charAt((8 - bit) % 3) : '-');
			}
			value = symbolic.toString();
		}
		try {
			return PosixFilePermissions.fromString(value);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("'" + text + "' is not a file mode such as rw-rw---- or 660", ex);
		}
	}

	/** The socket file's path (absolute). */
	public Path path() {
		return this.path;
	}

	/**
	 * Clears the way for binding: removes a stale socket file, refuses a live one or a file of another kind.
	 * @throws IllegalStateException with what to change, if the path cannot be bound
	 */
	public void prepare() {
		Path parent = this.path.getParent();
		if (parent != null && !Files.isDirectory(parent)) {
			throw new IllegalStateException("Cannot listen on Unix socket " + this.path + ": the directory " + parent
					+ " does not exist. Create it, or choose another unix-socket path.");
		}
		if (!Files.exists(this.path, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		if (!isSocket()) {
			throw new IllegalStateException("Cannot listen on Unix socket " + this.path
					+ ": a file that is not a socket exists there. Remove it, or choose another unix-socket path.");
		}
		if (someoneListens()) {
			throw new IllegalStateException("Cannot listen on Unix socket " + this.path
					+ ": another process accepts connections on it. Stop that process, or choose another unix-socket path.");
		}
		try {
			Files.delete(this.path);
			logger.info("Removed stale Unix socket file " + this.path + " (nobody accepted connections on it)");
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot remove the stale Unix socket file " + this.path + ": " + ex
					+ ". Remove it by hand, or choose another unix-socket path.", ex);
		}
	}

	private boolean isSocket() {
		try {
			Object type = Files.getAttribute(this.path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
			// S_IFSOCK
			return (type instanceof Integer mode) && (mode & 0170000) == 0140000;
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			// No "unix" attribute view: only what is neither a file, a directory nor a link can be a socket.
			return !Files.isRegularFile(this.path, LinkOption.NOFOLLOW_LINKS)
					&& !Files.isDirectory(this.path, LinkOption.NOFOLLOW_LINKS)
					&& !Files.isSymbolicLink(this.path);
		}
	}

	private boolean someoneListens() {
		try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			probe.connect(UnixDomainSocketAddress.of(this.path));
			return true;
		}
		catch (IOException ex) {
			// Refused: the socket file is left over from a process that is gone.
			return false;
		}
	}

	/** Applies the configured permissions, after binding created the file. */
	public void bound() {
		if (this.permissions == null) {
			return;
		}
		try {
			Files.setPosixFilePermissions(this.path, this.permissions);
		}
		catch (IOException | UnsupportedOperationException ex) {
			throw new IllegalStateException("Cannot set the permissions of Unix socket " + this.path + ": " + ex, ex);
		}
	}

	/** Removes the file at stop, so that the next start (or another server) finds the path free. */
	public void remove() {
		try {
			Files.deleteIfExists(this.path);
		}
		catch (IOException ex) {
			logger.warn("Could not remove Unix socket file " + this.path + ": " + ex);
		}
	}

}
