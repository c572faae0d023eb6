/**
 * Spring Boot's web server SPI implemented by the hybrid server: the {@link org.springframework.boot.web.server.WebServer}
 * and the servlet {@code WebServerFactory}, with the engine settings they share.
 */
package io.hybridserver.boot;
