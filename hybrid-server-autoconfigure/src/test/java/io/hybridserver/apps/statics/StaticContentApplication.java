package io.hybridserver.apps.statics;

import java.io.File;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.servlet.ConfigurableServletWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.web.servlet.config.annotation.DefaultServletHandlerConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Boot's static resources (classpath {@code /static}, webjars, the welcome page) and, through Spring MVC's
 * default-servlet handling, the container's default servlet over a document root.
 */
@SpringBootApplication
public class StaticContentApplication implements WebMvcConfigurer {

	/** A document root of test resources, standing in for src/main/webapp. */
	@Bean
	WebServerFactoryCustomizer<ConfigurableServletWebServerFactory> documentRoot() {
		return (factory) -> factory.setDocumentRoot(new File("src/test/resources/docroot").getAbsoluteFile());
	}

	@Override
	public void configureDefaultServletHandling(DefaultServletHandlerConfigurer configurer) {
		configurer.enable();
	}

}
