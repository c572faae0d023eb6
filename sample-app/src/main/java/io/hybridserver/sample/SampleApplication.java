package io.hybridserver.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A plain Spring MVC application. Its only link to the hybrid server is the {@code hybrid-server-starter} dependency:
 * Tomcat is still on the classpath, and the hybrid server starts anyway.
 *
 * <p>With {@code spring.main.web-application-type=reactive} (or the {@code reactive} profile) the same application
 * runs on WebFlux instead, again on the hybrid server although Reactor Netty is on the classpath. Beans that only one
 * mode can use say so with {@code @ConditionalOnWebApplication}.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
