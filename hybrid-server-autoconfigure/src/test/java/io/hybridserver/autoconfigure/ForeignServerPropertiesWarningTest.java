package io.hybridserver.autoconfigure;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.mock.env.MockEnvironment;

import io.hybridserver.apps.reactive.ReactiveTestApplication;
import io.hybridserver.autoconfigure.testapp.MvcTestApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another server's properties, set while the hybrid server runs, are named in one startup warning with their
 * equivalents; the table behind it points only at properties that exist.
 */
@ExtendWith(OutputCaptureExtension.class)
class ForeignServerPropertiesWarningTest {

	@Test
	void oneWarningNamesEachIgnoredPropertyAndItsEquivalent(CapturedOutput output) {
		try (var context = new SpringApplicationBuilder(MvcTestApplication.class)
			.properties("server.port=0", "server.tomcat.threads.max=7", "server.tomcat.accesslog.enabled=true",
					"server.tomcat.basedir=/tmp/tomcat", "server.jetty.threads.selectors=2",
					"server.netty.idle-timeout=5s")
			.run()) {
			String out = output.getOut();
			assertThat(out).containsOnlyOnce("The hybrid server ignores 5 properties of another web server");
			assertThat(out).contains("server.tomcat.threads.max -> use server.hybrid.workers")
				.contains("server.tomcat.accesslog.enabled -> use server.hybrid.accesslog.enabled")
				.contains("server.tomcat.basedir -> no equivalent")
				.contains("server.jetty.threads.selectors -> use server.hybrid.io-threads")
				.contains("server.netty.idle-timeout -> use server.hybrid.keep-alive-timeout");
			assertThat(out.lines().filter((line) -> line.contains("WARN") && line.contains("ignores")).count())
				.isEqualTo(1);
		}
	}

	@Test
	void reactiveApplicationsAreWarnedToo(CapturedOutput output) {
		try (var context = new SpringApplicationBuilder(ReactiveTestApplication.class)
			.properties("server.port=0", "spring.main.web-application-type=reactive", "server.netty.connection-timeout=3s")
			.run()) {
			assertThat(output.getOut()).contains("The hybrid server ignores 1 property of another web server")
				.contains("server.netty.connection-timeout -> use server.hybrid.connection-timeout");
		}
	}

	@Test
	void noForeignPropertiesNoWarning(CapturedOutput output) {
		try (var context = new SpringApplicationBuilder(MvcTestApplication.class).properties("server.port=0").run()) {
			assertThat(output.getOut()).doesNotContain("of another web server");
		}
	}

	@Test
	void environmentVariablesAndListsAreFoundInCanonicalForm() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("server.tomcat.additional-tld-skip-patterns[0]", "x.jar")
			.withProperty("server.hybrid.workers", "8");
		environment.getPropertySources()
			.addLast(new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					Map.of("SERVER_TOMCAT_THREADS_MAX", "7", "PATH", "/usr/bin")));
		Set<String> found = ForeignServerPropertiesWarning.foreignProperties(environment);
		assertThat(found).containsExactly("server.tomcat.additional-tld-skip-patterns[0]", "server.tomcat.threads.max");
		assertThat(ForeignServerPropertiesWarning.message(found))
			.contains("server.tomcat.additional-tld-skip-patterns[0] -> no equivalent")
			.contains("server.tomcat.threads.max -> use server.hybrid.workers");
	}

	@Test
	void everyEquivalentIsARealHybridProperty() throws Exception {
		Map<String, String> table = ServerPropertyEquivalents.table();
		assertThat(table).hasSizeGreaterThan(30);
		HybridServerProperties properties = new HybridServerProperties();
		for (Map.Entry<String, String> entry : table.entrySet()) {
			assertThat(ServerPropertyEquivalents.isForeign(entry.getKey())).as(entry.getKey()).isTrue();
			if (entry.getValue() != null) {
				assertThat(readable(properties, entry.getValue().substring("server.hybrid.".length())))
					.as(entry.getKey() + " -> " + entry.getValue())
					.isTrue();
			}
		}
	}

	/** Whether a kebab-case path (a.b-c) leads to a getter chain on the properties. */
	private static boolean readable(Object bean, String path) throws Exception {
		Object current = bean;
		for (String part : path.split("\\.")) {
			if (current == null) {
				return false;
			}
			StringBuilder camel = new StringBuilder();
			boolean upper = true;
			for (char c : part.toCharArray()) {
				if (c == '-') {
					upper = true;
				}
				else {
					camel.append(upper ? Character.toUpperCase(c) : c);
					upper = false;
				}
			}
			Method getter = findGetter(current.getClass(), camel.toString());
			if (getter == null) {
				return false;
			}
			current = getter.invoke(current);
		}
		return true;
	}

	private static Method findGetter(Class<?> type, String name) {
		for (String prefix : new String[] { "get", "is" }) {
			try {
				return type.getMethod(prefix + name);
			}
			catch (NoSuchMethodException ex) {
				// try the next form
			}
		}
		return null;
	}

}
