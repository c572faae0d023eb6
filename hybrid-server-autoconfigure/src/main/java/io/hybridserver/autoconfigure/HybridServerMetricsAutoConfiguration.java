package io.hybridserver.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;

import io.hybridserver.boot.ConfigurableHybridWebServerFactory;
import io.hybridserver.metrics.QueueWaitTimer;
import io.hybridserver.metrics.TlsHandshakeMeters;

/**
 * Publishes the {@code hybrid.server.*} meters when Micrometer is present: gauges and counters are bound once the
 * application has started, the queue-wait timer is fed by the dispatcher, and the TLS handshake meters by each
 * connection's handshake.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
		"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, ConfigurableHybridWebServerFactory.class })
@ConditionalOnWebApplication
public final class HybridServerMetricsAutoConfiguration {

	@Bean
	HybridServerMetricsBinder hybridServerMetricsBinder(ObjectProvider<MeterRegistry> registry) {
		return new HybridServerMetricsBinder(registry);
	}

	@Bean
	WebServerFactoryCustomizer<ConfigurableHybridWebServerFactory> hybridServerQueueWaitCustomizer(
			ObjectProvider<MeterRegistry> registry) {
		return (factory) -> factory.setDispatchObserver(new QueueWaitTimer(registry::getIfUnique));
	}

	@Bean
	WebServerFactoryCustomizer<ConfigurableHybridWebServerFactory> hybridServerTlsHandshakeCustomizer(
			ObjectProvider<MeterRegistry> registry) {
		return (factory) -> factory.setTlsHandshakeListener(new TlsHandshakeMeters(registry::getIfUnique));
	}

}
