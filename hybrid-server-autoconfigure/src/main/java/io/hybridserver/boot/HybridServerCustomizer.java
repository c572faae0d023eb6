package io.hybridserver.boot;

/**
 * Customizes the engine settings of a hybrid server before it is built, as {@code TomcatConnectorCustomizer} does for
 * Tomcat. Beans of this type are applied by auto-configuration in order.
 */
@FunctionalInterface
public interface HybridServerCustomizer {

	void customize(HybridServerSettings settings);

}
