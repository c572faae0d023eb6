package io.hybridserver.servlet.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import jakarta.servlet.http.HttpSessionActivationListener;
import jakarta.servlet.http.HttpSessionEvent;

/**
 * Sessions kept across a restart ({@code server.servlet.session.persistent=true}): on stop the live sessions are
 * written to one file with Java serialization, as Tomcat's standard manager does; on start they are read back and the
 * file is deleted, so a session is restored once. Attributes that are not {@link Serializable} are dropped (and
 * logged); {@link HttpSessionActivationListener}s hear {@code sessionWillPassivate} and {@code sessionDidActivate}.
 */
public final class SessionPersistence {

	private static final Log logger = LogFactory.getLog(SessionPersistence.class);

	private final Path file;

	private final ClassLoader classLoader;

	public SessionPersistence(Path file, ClassLoader classLoader) {
		this.file = file;
		this.classLoader = classLoader;
	}

	/** What is written per session. */
	private record Saved(String id, long creationTime, long lastAccessedTime, int maxInactiveInterval,
			Map<String, Object> attributes) implements Serializable {
	}

	/** Writes the store's live sessions and forgets them without ending them (no destroyed events: they live on). */
	public void save(SessionStore store) {
		List<Saved> saved = new ArrayList<>();
		long now = System.currentTimeMillis();
		for (StandardSession session : store.liveSessions()) {
			if (!session.isValid() || session.isExpired(now)) {
				continue;
			}
			Map<String, Object> attributes = new LinkedHashMap<>();
			for (Map.Entry<String, Object> attribute : session.attributeMap().entrySet()) {
				Object value = attribute.getValue();
				if (value instanceof HttpSessionActivationListener listener) {
					listener.sessionWillPassivate(new HttpSessionEvent(session));
				}
				if (value instanceof Serializable) {
					attributes.put(attribute.getKey(), value);
				}
				else {
					logger.warn("Session attribute " + attribute.getKey() + " is not Serializable; "
							+ "it is not kept across the restart");
				}
			}
			saved.add(new Saved(session.getId(), session.creationTime(), session.lastAccessed(),
					session.getMaxInactiveInterval(), attributes));
		}
		try {
			Files.createDirectories(this.file.getParent());
			Path temp = Files.createTempFile(this.file.getParent(), "sessions", ".tmp");
			try (ObjectOutputStream out = new ObjectOutputStream(Files.newOutputStream(temp))) {
				out.writeObject(new ArrayList<>(saved));
			}
			Files.move(temp, this.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			store.forgetAll();
			if (logger.isDebugEnabled()) {
				logger.debug("Saved " + saved.size() + " sessions to " + this.file);
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Could not save the sessions to " + this.file + "; they end with this run", ex);
		}
	}

	/** Reads the sessions saved by the previous run into the store, then deletes the file. */
	public void load(SessionStore store) {
		if (!Files.isRegularFile(this.file)) {
			return;
		}
		try (InputStream in = Files.newInputStream(this.file);
				ObjectInputStream objects = new ApplicationObjectInputStream(in, this.classLoader)) {
			@SuppressWarnings("unchecked")
			List<Saved> saved = (List<Saved>) objects.readObject();
			long now = System.currentTimeMillis();
			int restored = 0;
			for (Saved s : saved) {
				StandardSession session = store.restore(s.id(), s.creationTime(), s.lastAccessedTime(),
						s.maxInactiveInterval(), s.attributes());
				if (session.isExpired(now)) {
					session.expire();
					continue;
				}
				restored++;
				for (Object value : s.attributes().values()) {
					if (value instanceof HttpSessionActivationListener listener) {
						listener.sessionDidActivate(new HttpSessionEvent(session));
					}
				}
			}
			if (logger.isDebugEnabled()) {
				logger.debug("Restored " + restored + " sessions from " + this.file);
			}
		}
		catch (IOException | ClassNotFoundException | RuntimeException ex) {
			logger.warn("Could not restore the sessions from " + this.file + "; starting without them",
					ex);
		}
		finally {
			try {
				Files.deleteIfExists(this.file);
			}
			catch (IOException ex) {
				logger.warn("Could not delete " + this.file, ex);
			}
		}
	}

	/** Resolves attribute classes with the application's class loader, not this library's. */
	private static final class ApplicationObjectInputStream extends ObjectInputStream {

		private final ClassLoader classLoader;

		ApplicationObjectInputStream(InputStream in, ClassLoader classLoader) throws IOException {
			super(in);
			this.classLoader = classLoader;
		}

		@Override
		protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
			try {
				return Class.forName(desc.getName(), false, this.classLoader);
			}
			catch (ClassNotFoundException ex) {
				return super.resolveClass(desc);
			}
		}

	}

}
