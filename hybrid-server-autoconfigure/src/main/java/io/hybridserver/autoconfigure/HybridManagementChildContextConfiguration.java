package io.hybridserver.autoconfigure;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.actuate.autoconfigure.web.server.AccessLogCustomizer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

import io.hybridserver.boot.ConfigurableHybridWebServerFactory;
import io.hybridserver.boot.HybridWebServer;

/**
 * The management port's own hybrid server, in Boot's child management context: its access log files get the
 * {@code management_} prefix, as Tomcat's do, because both servers read the same {@code server.hybrid.accesslog.*}
 * and two writers must not share one file.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnClass(HybridWebServer.class)
@EnableConfigurationProperties(HybridManagementServerProperties.class)
class HybridManagementChildContextConfiguration {

	@Bean
	HybridManagementAccessLogCustomizer hybridManagementAccessLogCustomizer(HybridManagementServerProperties properties) {
		return new HybridManagementAccessLogCustomizer(properties.getAccesslog().getPrefix());
	}

	/** Prefixes the management server's access log files; runs after the server.hybrid.* customizer. */
	static final class HybridManagementAccessLogCustomizer extends AccessLogCustomizer<ConfigurableHybridWebServerFactory> {

		HybridManagementAccessLogCustomizer(String prefix) {
			super(prefix);
		}

		@Override
		public void customize(ConfigurableHybridWebServerFactory factory) {
			var accessLog = factory.getServerSettings().getAccessLog();
			accessLog.setPrefix(customizePrefix(accessLog.getPrefix()));
		}

	}

}
