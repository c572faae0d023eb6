package io.hybridserver.autoconfigure;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On Spring Boot 3.x the starter stops the application at once with Boot's failure report naming the supported Boot
 * lines. A forked JVM runs Spring Boot 3.5.7's own jars (copied by the build to target/spring-boot-3-classpath) with
 * our compiled classes and nothing of Boot 4: {@code SpringApplication.main} with no source, so the only configuration
 * it reads is what our jar registers in {@code spring.factories}.
 */
class SpringBoot3ClasspathTest {

	@Test
	void springBoot3StopsWithOneMessageNamingTheSupportedVersions() throws Exception {
		Path boot3 = Path.of("target", "spring-boot-3-classpath");
		List<String> classpath = new ArrayList<>();
		try (Stream<Path> jars = Files.list(boot3)) {
			jars.filter((jar) -> jar.toString().endsWith(".jar")).forEach((jar) -> classpath.add(jar.toString()));
		}
		assertThat(classpath).anyMatch((jar) -> jar.contains("spring-boot-3.5.7.jar"));
		classpath.add(Path.of(SpringBootVersionCheck.class.getProtectionDomain().getCodeSource().getLocation().toURI())
			.toString());
		Path output = Files.createTempFile("boot3-run", ".log");
		try {
			Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"-cp", String.join(File.pathSeparator, classpath), "org.springframework.boot.SpringApplication")
				.redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the Boot 3 application ended").isTrue();
			String log = Files.readString(output, StandardCharsets.UTF_8);
			assertThat(process.exitValue()).as(log).isNotZero();
			assertThat(log).contains("APPLICATION FAILED TO START")
				.contains("hybrid-server supports Spring Boot 4.0.x and 4.1.x; this application runs on Spring Boot 3.5.7")
				.contains("Upgrade the application to Spring Boot 4.0.x or 4.1.x")
				.doesNotContain("BeanDefinitionOverrideException");
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	@Test
	void onBoot4TheCheckPassesAndItsFailureIsAnalysed() {
		SpringBootVersionCheck.check(true, "4.1.1");
		FailureAnalysis analysis = new HybridServerFailureAnalyzer()
			.analyze(new IllegalStateException(new UnsupportedSpringBootVersionException(null)));
		assertThat(analysis.getDescription()).contains("Spring Boot 4.0.x and 4.1.x").contains("3.x or older");
		assertThat(analysis.getAction()).contains("Upgrade");
	}

}
