package io.hybridserver.servlet.resource;

import java.io.File;
import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.function.LongSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.hybridserver.servlet.resource.ResourceLookups.Source;

/**
 * The context's static resources, looked for in this order: the document root, the {@code META-INF/resources} of
 * class-path directories, then the {@code META-INF/resources} of class-path jars (nested jars of an executable jar
 * included) through an index built when the context starts. Answers, found and missing alike, are cached for a time to
 * live in a bounded cache, so that a request costs at most one hash lookup: no class-path scan and no lock shared with
 * other requests, where {@code ClassLoader.getResource} in an executable jar searches every jar under a lock.
 *
 * <p>Jars are held open until {@link #close()}, when the context stops; nothing is held statically, so a devtools
 * restart (a new class loader, a new context) gets a new index and the old loader can be collected.
 */
public final class StaticResources implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(StaticResources.class);

	private final List<DirectoryLocation> directories;

	private final JarIndex index;

	private final ClassLoaderLocation unlisted;

	private final List<JarFile> openJars;

	private final ResourceCache<StaticResource> cache;

	private final ResourceCache<Set<String>> listings;

	private final ResourceLookups lookups = new ResourceLookups();

	private final Runnable cacheHit = () -> this.lookups.add(Source.CACHE, 1);

	private StaticResources(List<DirectoryLocation> directories, JarIndex index, ClassLoaderLocation unlisted,
			List<JarFile> openJars, Settings settings, LongSupplier nanoClock) {
		this.directories = List.copyOf(directories);
		this.index = index;
		this.unlisted = unlisted;
		this.openJars = openJars;
		boolean caching = settings.cacheEnabled() && !settings.ttl().isZero() && !settings.ttl().isNegative();
		this.cache = caching ? new ResourceCache<>(settings.ttl(), settings.maxEntries(), nanoClock) : null;
		this.listings = caching ? new ResourceCache<>(settings.ttl(), Math.max(1, settings.maxEntries() / 16), nanoClock)
				: null;
	}

	/**
	 * What the cache does.
	 * @param cacheEnabled whether answers are cached at all ({@code false}: every lookup looks, still without
	 *     scanning the class path)
	 * @param ttl how long an answer is kept; zero turns the cache off
	 * @param maxEntries the bound on cached answers
	 */
	public record Settings(boolean cacheEnabled, Duration ttl, int maxEntries) {

		/** On, 5 seconds (Tomcat's resource-cache TTL), 10,000 answers (a few MiB at most). */
		public static final Settings DEFAULT = new Settings(true, Duration.ofSeconds(5), 10_000);

		public Settings {
			if (ttl == null || ttl.isNegative()) {
				throw new IllegalArgumentException("The resource cache's time to live must be zero or more, was "
						+ io.hybridserver.http.DurationText.of(ttl));
			}
			if (maxEntries < 1) {
				throw new IllegalArgumentException("The resource cache needs room for at least one entry, was "
						+ maxEntries);
			}
		}

	}

	/**
	 * Lists the class path behind {@code classLoader} and indexes its jars.
	 * @param documentRoot the document root, {@code null} for none
	 * @param classLoader the application's class loader
	 */
	public static StaticResources scan(File documentRoot, ClassLoader classLoader, Settings settings) {
		return scan(documentRoot, classLoader, settings, System::nanoTime);
	}

	static StaticResources scan(File documentRoot, ClassLoader classLoader, Settings settings, LongSupplier nanoClock) {
		long start = System.nanoTime();
		List<DirectoryLocation> directories = new ArrayList<>();
		if (documentRoot != null) {
			directories.add(new DirectoryLocation(documentRoot.toPath()));
		}
		JarIndex index = new JarIndex();
		List<JarFile> openJars = new ArrayList<>();
		ClassPathRoots roots = ClassPathRoots.of(classLoader);
		Deque<URL> pending = new ArrayDeque<>(roots.urls());
		Set<String> seen = new HashSet<>();
		while (!pending.isEmpty()) {
			URL url = pending.poll();
			File file = ClassPathRoots.file(url);
			if (!seen.add((file != null) ? file.getAbsolutePath() : url.toString())) {
				continue;
			}
			try {
				if (file != null) {
					addFile(url, file, directories, index, openJars, pending);
				}
				else if ("jar".equals(url.getProtocol())) {
					addJarUrl(url, index, openJars);
				}
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Cannot read " + url + " for META-INF/resources", ex);
			}
		}
		ClassLoaderLocation fallback = (roots.unlisted() != null) ? new ClassLoaderLocation(roots.unlisted()) : null;
		if (logger.isDebugEnabled()) {
			logger.debug("Static resources: " + index.size() + " paths in " + index.jars() + " jars, directories "
					+ directories + ((fallback != null) ? ", asking " + roots.unlisted() + " for the rest" : "")
					+ ", indexed in " + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms");
		}
		return new StaticResources(directories, index, fallback, openJars, settings, nanoClock);
	}

	private static void addFile(URL url, File file, List<DirectoryLocation> directories, JarIndex index,
			List<JarFile> openJars, Deque<URL> pending) throws IOException {
		if (file.isDirectory()) {
			File resources = new File(file, "META-INF/resources");
			if (resources.isDirectory()) {
				directories.add(new DirectoryLocation(resources.toPath()));
			}
			return;
		}
		if (!file.isFile()) {
			return;
		}
		JarFile jar = new JarFile(file);
		boolean keep = false;
		try {
			queueManifestClassPath(url, jar, pending);
			keep = hasResources(jar, "") && index.add(jar, "", new URL("jar:" + url + "!/"));
		}
		finally {
			if (keep) {
				openJars.add(jar);
			}
			else {
				jar.close();
			}
		}
	}

	/** A jar's manifest {@code Class-Path} is part of the class path, right after it (surefire's booter jar). */
	private static void queueManifestClassPath(URL url, JarFile jar, Deque<URL> pending) throws IOException {
		Manifest manifest = jar.getManifest();
		String classPath = (manifest != null) ? manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH)
				: null;
		if (classPath == null) {
			return;
		}
		List<URL> entries = new ArrayList<>();
		for (String entry : classPath.trim().split("\\s+")) {
			URL resolved = entry.isEmpty() ? null : ClassPathRoots.resolve(url, entry);
			if (resolved != null) {
				entries.add(resolved);
			}
		}
		for (int i = entries.size() - 1; i >= 0; i--) {
			pending.push(entries.get(i));
		}
	}

	/** A {@code jar:} root: a jar, or a directory of one (Spring Boot's {@code BOOT-INF/classes/}), nested or not. */
	private static void addJarUrl(URL url, JarIndex index, List<JarFile> openJars) throws IOException {
		URLConnection connection = url.openConnection();
		if (!(connection instanceof JarURLConnection jarConnection)) {
			return;
		}
		// Our own copy, closed when the context stops: the shared cached one belongs to the class loader.
		jarConnection.setUseCaches(false);
		String base = jarConnection.getEntryName();
		base = (base == null || base.isEmpty()) ? "" : (base.endsWith("/") ? base : base + "/");
		JarFile jar = jarConnection.getJarFile();
		boolean keep = false;
		try {
			URL root = url.toString().endsWith("/") ? url : new URL(url + "/");
			keep = hasResources(jar, base) && index.add(jar, base, root);
		}
		finally {
			if (keep) {
				openJars.add(jar);
			}
			else {
				jar.close();
			}
		}
	}

	/** Spring Boot's test for a resources jar, so that the same jars count; no walk through the other jars' entries. */
	private static boolean hasResources(JarFile jar, String base) {
		String name = base + "META-INF/resources";
		return jar.getEntry(name) != null || jar.getEntry(name + "/") != null;
	}

	/**
	 * The resource at a context-relative path ({@code /css/site.css}), or {@code null}: also for paths that climb out
	 * ({@code ..}) or do not start with {@code /}.
	 */
	public StaticResource find(String path) {
		if (!ResourcePaths.isAcceptable(path)) {
			return null;
		}
		return (this.cache != null) ? this.cache.get(path, this::lookUp, this.cacheHit) : lookUp(path);
	}

	private StaticResource lookUp(String path) {
		int looked = 0;
		for (DirectoryLocation directory : this.directories) {
			looked++;
			StaticResource found = directory.find(path);
			if (found != null) {
				this.lookups.add(Source.FILESYSTEM, looked);
				return found;
			}
		}
		this.lookups.add(Source.FILESYSTEM, looked);
		this.lookups.add(Source.INDEX, 1);
		StaticResource found = this.index.find(path);
		if (found == null && this.unlisted != null) {
			this.lookups.add(Source.CLASSPATH, 1);
			found = this.unlisted.find(path);
		}
		return found;
	}

	/**
	 * The children of a directory ({@code ServletContext.getResourcePaths}): files as paths, directories with a
	 * trailing slash; {@code null} when there are none.
	 */
	public Set<String> list(String path) {
		if (!ResourcePaths.isAcceptable(path)) {
			return null;
		}
		String directory = path.endsWith("/") ? path : path + "/";
		Set<String> children = (this.listings != null) ? this.listings.get(directory, this::listNow, this.cacheHit)
				: listNow(directory);
		return children.isEmpty() ? null : new TreeSet<>(children);
	}

	private Set<String> listNow(String directory) {
		Set<String> children = new TreeSet<>();
		for (DirectoryLocation location : this.directories) {
			this.lookups.add(Source.FILESYSTEM, 1);
			location.list(directory, children);
		}
		this.lookups.add(Source.INDEX, 1);
		children.addAll(this.index.list(directory));
		if (this.unlisted != null) {
			this.lookups.add(Source.CLASSPATH, 1);
			this.unlisted.list(directory, children);
		}
		return Collections.unmodifiableSet(children);
	}

	/** Counts of lookups by where they were answered. */
	public ResourceLookups lookups() {
		return this.lookups;
	}

	/** Answers cached now. */
	public int cachedEntries() {
		return (this.cache != null) ? this.cache.size() + this.listings.size() : 0;
	}

	/** Jars whose {@code META-INF/resources} is indexed. */
	public int indexedJars() {
		return this.index.jars();
	}

	/** Closes the jars and drops the cache, when the context stops; what is found afterwards may not be readable. */
	@Override
	public void close() {
		if (this.cache != null) {
			this.cache.clear();
			this.listings.clear();
		}
		for (JarFile jar : this.openJars) {
			try {
				jar.close();
			}
			catch (IOException ex) {
				logger.debug("Cannot close " + jar.getName(), ex);
			}
		}
	}

}
