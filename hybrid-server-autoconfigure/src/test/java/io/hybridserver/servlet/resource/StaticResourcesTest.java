package io.hybridserver.servlet.resource;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hybridserver.servlet.resource.ResourceLookups.Source;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The index of class-path jars, the document root and class-path directories looked at on the file system, the cache in
 * front of them, and the counts that show a missing resource costs one in-memory lookup whatever the number of jars.
 */
class StaticResourcesTest {

	private static final StaticResources.Settings CACHED = new StaticResources.Settings(true, Duration.ofSeconds(5),
			1000);

	private static final StaticResources.Settings UNCACHED = new StaticResources.Settings(false, Duration.ofSeconds(5),
			1000);

	@TempDir
	Path temp;

	private final AtomicLong now = new AtomicLong();

	private final List<AutoCloseable> toClose = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.toClose) {
			closeable.close();
		}
	}

	@Test
	void findsJarResourcesFirstJarFirstAndReadsThemWithoutTheUrlHandler() throws Exception {
		File first = jar("first.jar", "", Map.of("META-INF/resources/css/site.css", "first",
				"META-INF/resources/webjars/lib/1.0/lib.js", "lib"));
		File second = jar("second.jar", "", Map.of("META-INF/resources/css/site.css", "second",
				"META-INF/resources/only-second.txt", "two", "static/not-a-resource.txt", "no"));
		StaticResources resources = scan(null, loader(first, second), CACHED);

		assertThat(read(resources.find("/css/site.css"))).isEqualTo("first");
		assertThat(read(resources.find("/only-second.txt"))).isEqualTo("two");
		assertThat(read(resources.find("/webjars/lib/1.0/lib.js"))).isEqualTo("lib");
		assertThat(resources.find("/not-a-resource.txt")).isNull();
		assertThat(resources.find("/static/not-a-resource.txt")).isNull();
		StaticResource css = resources.find("/css/site.css");
		assertThat(css.url().toString()).isEqualTo("jar:" + first.toURI() + "!/META-INF/resources/css/site.css");
		try (InputStream in = css.url().openStream()) {
			assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("first");
		}
		assertThat(css.attributes().length()).isEqualTo(5);
		assertThat(resources.find("/css").isDirectory()).isTrue();
		assertThat(resources.find("/css/").isDirectory()).isTrue();
		assertThat(resources.find("/webjars/lib").isDirectory()).isTrue();
		assertThat(resources.find("/css/site.css/")).isNull();
		assertThat(resources.indexedJars()).isEqualTo(2);
	}

	@Test
	void listsChildrenAcrossJarsAndDirectories() throws Exception {
		File jar = jar("lib.jar", "", Map.of("META-INF/resources/css/a.css", "a",
				"META-INF/resources/css/img/logo.png", "png"));
		Path documentRoot = Files.createDirectories(this.temp.resolve("docroot/css"));
		Files.writeString(documentRoot.resolve("b.css"), "b");
		StaticResources resources = scan(documentRoot.getParent().toFile(), loader(jar), CACHED);
		assertThat(resources.list("/css")).containsExactly("/css/a.css", "/css/b.css", "/css/img/");
		assertThat(resources.list("/css/")).containsExactly("/css/a.css", "/css/b.css", "/css/img/");
		assertThat(resources.list("/")).contains("/css/");
		assertThat(resources.list("/nothing/")).isNull();
	}

	@Test
	void aMissingResourceCostsOneIndexLookupWhateverTheNumberOfJarsAndIsNotRepeatedPerRequest() throws Exception {
		List<File> jars = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			jars.add(jar("lib" + i + ".jar", "", Map.of("META-INF/resources/lib" + i + "/file.txt", "x" + i)));
		}
		AtomicInteger classLoaderLookups = new AtomicInteger();
		URLClassLoader loader = new URLClassLoader(urls(jars.toArray(File[]::new)), null) {
			@Override
			public URL getResource(String name) {
				classLoaderLookups.incrementAndGet();
				return super.getResource(name);
			}
		};
		this.toClose.add(loader);
		StaticResources resources = scan(null, loader, CACHED);
		assertThat(resources.indexedJars()).isEqualTo(30);
		for (int i = 0; i < 100; i++) {
			assertThat(resources.find("/owners/" + (i % 2))).isNull();
		}
		assertThat(resources.lookups().count(Source.INDEX)).isEqualTo(2);
		assertThat(resources.lookups().count(Source.CACHE)).isEqualTo(98);
		assertThat(resources.lookups().count(Source.FILESYSTEM)).isZero();
		assertThat(resources.lookups().count(Source.CLASSPATH)).isZero();
		assertThat(classLoaderLookups).hasValue(0);
		assertThat(read(resources.find("/lib29/file.txt"))).isEqualTo("x29");
	}

	@Test
	void aFileAddedToTheDocumentRootAfterAMissIsFoundOnceTheTimeToLivePasses() throws Exception {
		Path documentRoot = Files.createDirectories(this.temp.resolve("docroot"));
		StaticResources resources = scan(documentRoot.toFile(), loader(), CACHED);
		assertThat(resources.find("/late.txt")).isNull();
		Files.writeString(documentRoot.resolve("late.txt"), "here now");
		this.now.addAndGet(Duration.ofSeconds(4).toNanos());
		assertThat(resources.find("/late.txt")).isNull();
		assertThat(resources.lookups().count(Source.FILESYSTEM)).isEqualTo(1);
		this.now.addAndGet(Duration.ofSeconds(1).toNanos());
		assertThat(read(resources.find("/late.txt"))).isEqualTo("here now");
		assertThat(resources.lookups().count(Source.FILESYSTEM)).isEqualTo(2);
		assertThat(resources.find("/late.txt").url()).isEqualTo(documentRoot.resolve("late.txt").toUri().toURL());
	}

	@Test
	void withoutTheCacheEveryLookupLooksAgain() throws Exception {
		Path documentRoot = Files.createDirectories(this.temp.resolve("docroot"));
		StaticResources resources = scan(documentRoot.toFile(), loader(), UNCACHED);
		assertThat(resources.find("/late.txt")).isNull();
		Files.writeString(documentRoot.resolve("late.txt"), "at once");
		assertThat(read(resources.find("/late.txt"))).isEqualTo("at once");
		assertThat(resources.lookups().count(Source.CACHE)).isZero();
		assertThat(resources.cachedEntries()).isZero();
	}

	@Test
	void theDocumentRootComesFirstThenClassPathDirectoriesThenJars() throws Exception {
		Path documentRoot = Files.createDirectories(this.temp.resolve("docroot"));
		Files.writeString(documentRoot.resolve("a.txt"), "root");
		Path classes = Files.createDirectories(this.temp.resolve("classes/META-INF/resources"));
		Files.writeString(classes.resolve("a.txt"), "classes");
		Files.writeString(classes.resolve("b.txt"), "classes");
		File jar = jar("lib.jar", "", Map.of("META-INF/resources/a.txt", "jar", "META-INF/resources/b.txt", "jar",
				"META-INF/resources/c.txt", "jar"));
		StaticResources resources = scan(documentRoot.toFile(),
				loader(jar, this.temp.resolve("classes").toFile()), CACHED);
		assertThat(read(resources.find("/a.txt"))).isEqualTo("root");
		assertThat(read(resources.find("/b.txt"))).isEqualTo("classes");
		assertThat(read(resources.find("/c.txt"))).isEqualTo("jar");
	}

	@Test
	void pathsThatClimbOrDoNotStartWithASlashFindNothing() throws Exception {
		Path documentRoot = Files.createDirectories(this.temp.resolve("deep/docroot"));
		Files.writeString(this.temp.resolve("deep/secret.txt"), "secret");
		StaticResources resources = scan(documentRoot.toFile(), loader(), CACHED);
		assertThat(resources.find("/../secret.txt")).isNull();
		assertThat(resources.find("/a/../../secret.txt")).isNull();
		assertThat(resources.find("..\\secret.txt")).isNull();
		assertThat(resources.find("secret.txt")).isNull();
		assertThat(resources.find(null)).isNull();
		assertThat(resources.list("/..")).isNull();
	}

	@Test
	void aJarDirectoryRootIsIndexedLikeSpringBootsBootInfClasses() throws Exception {
		File app = jar("app.jar", "", Map.of("BOOT-INF/classes/META-INF/resources/app.css", "app",
				"META-INF/resources/outer.txt", "outer"));
		URL classesRoot = new URL("jar:" + app.toURI() + "!/BOOT-INF/classes/");
		URLClassLoader loader = new URLClassLoader(new URL[] { classesRoot }, null);
		this.toClose.add(loader);
		StaticResources resources = scan(null, loader, CACHED);
		StaticResource css = resources.find("/app.css");
		assertThat(read(css)).isEqualTo("app");
		assertThat(css.url().toString()).isEqualTo(classesRoot + "META-INF/resources/app.css");
		assertThat(resources.find("/outer.txt")).isNull();
	}

	@Test
	void jarsNamedByAManifestClassPathAreIndexedLikeSurefiresBooterJar() throws Exception {
		File lib = jar("lib.jar", "", Map.of("META-INF/resources/from-manifest.txt", "listed"));
		File booter = jar("booter.jar", "lib.jar", Map.of());
		StaticResources resources = scan(null, loader(booter), CACHED);
		assertThat(read(resources.find("/from-manifest.txt"))).isEqualTo("listed");
		assertThat(lib).exists();
	}

	@Test
	void aClassLoaderThatCannotBeListedIsAskedOncePerPathAndTimeToLive() throws Exception {
		File jar = jar("hidden.jar", "", Map.of("META-INF/resources/hidden.txt", "hidden"));
		URLClassLoader inner = new URLClassLoader(urls(jar), null);
		this.toClose.add(inner);
		AtomicInteger asked = new AtomicInteger();
		ClassLoader opaque = new ClassLoader(null) {
			@Override
			public URL getResource(String name) {
				asked.incrementAndGet();
				return inner.getResource(name);
			}

			@Override
			public Enumeration<URL> getResources(String name) throws IOException {
				return inner.getResources(name);
			}
		};
		StaticResources resources = scan(null, opaque, CACHED);
		assertThat(read(resources.find("/hidden.txt"))).isEqualTo("hidden");
		for (int i = 0; i < 10; i++) {
			assertThat(resources.find("/missing.txt")).isNull();
		}
		assertThat(asked).hasValue(2);
		assertThat(resources.lookups().count(Source.CLASSPATH)).isEqualTo(2);
		assertThat(resources.list("/")).containsExactly("/hidden.txt");
	}

	@Test
	void closingClosesTheJars() throws Exception {
		File jar = jar("lib.jar", "", Map.of("META-INF/resources/a.txt", "a"));
		StaticResources resources = scan(null, loader(jar), UNCACHED);
		StaticResource found = resources.find("/a.txt");
		resources.close();
		org.assertj.core.api.Assertions.assertThatIOException().isThrownBy(found::open);
	}

	private StaticResources scan(File documentRoot, ClassLoader loader, StaticResources.Settings settings) {
		StaticResources resources = StaticResources.scan(documentRoot, loader, settings, this.now::get);
		this.toClose.add(resources);
		return resources;
	}

	private URLClassLoader loader(File... roots) throws IOException {
		URLClassLoader loader = new URLClassLoader(urls(roots), null);
		this.toClose.add(loader);
		return loader;
	}

	private static URL[] urls(File... roots) throws IOException {
		URL[] urls = new URL[roots.length];
		for (int i = 0; i < roots.length; i++) {
			urls[i] = roots[i].toURI().toURL();
		}
		return urls;
	}

	private File jar(String name, String classPath, Map<String, String> entries) throws IOException {
		File file = this.temp.resolve(name).toFile();
		Manifest manifest = new Manifest();
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		if (!classPath.isEmpty()) {
			manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
		}
		try (OutputStream out = Files.newOutputStream(file.toPath());
				JarOutputStream jar = new JarOutputStream(out, manifest)) {
			List<String> directories = new ArrayList<>();
			for (Map.Entry<String, String> entry : new java.util.TreeMap<>(entries).entrySet()) {
				String path = entry.getKey();
				// Directory entries as Maven writes them, so that Spring Boot's test for a resources jar holds.
				for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
					String directory = path.substring(0, slash + 1);
					if (!directories.contains(directory)) {
						directories.add(directory);
						jar.putNextEntry(new JarEntry(directory));
						jar.closeEntry();
					}
				}
				jar.putNextEntry(new JarEntry(path));
				jar.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
				jar.closeEntry();
			}
		}
		return file;
	}

	private static String read(StaticResource resource) throws IOException {
		assertThat(resource).isNotNull();
		try (InputStream in = resource.open()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
