package io.hybridserver.bench.webflux;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The WebFlux benchmark application. The same classes run on every reactive contender; only the module that packages
 * them (webflux-hybrid, webflux-reactor-netty) differs, by its server dependency.
 */
@SpringBootApplication
public class WebFluxBenchApplication {

	public static void main(String[] args) {
		SpringApplication.run(WebFluxBenchApplication.class, args);
	}

}
