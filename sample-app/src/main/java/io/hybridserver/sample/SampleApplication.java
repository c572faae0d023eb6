package io.hybridserver.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A plain Spring MVC application. Its only link to the hybrid server is the {@code hybrid-server-starter} dependency:
 * Tomcat is still on the classpath, and the hybrid server starts anyway.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
