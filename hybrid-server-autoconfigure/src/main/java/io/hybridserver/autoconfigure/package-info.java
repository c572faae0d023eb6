/**
 * Spring Boot auto-configuration of the hybrid server: the {@code server.hybrid.*} properties, the servlet web server
 * factory (ordered before Tomcat's and Jetty's so that adding the starter is enough), metrics and failure analysis.
 */
package io.hybridserver.autoconfigure;
