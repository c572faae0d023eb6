package io.hybridserver.bench.mvc;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring MVC benchmark application. The same classes run on every contender server; only the module that
 * packages them (mvc-hybrid, mvc-tomcat, mvc-jetty) differs, by its server dependency.
 */
@SpringBootApplication
public class MvcBenchApplication {

	public static void main(String[] args) {
		SpringApplication.run(MvcBenchApplication.class, args);
	}

}
