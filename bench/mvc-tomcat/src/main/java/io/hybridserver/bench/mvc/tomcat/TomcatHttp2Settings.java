package io.hybridserver.bench.mvc.tomcat;

import org.apache.coyote.UpgradeProtocol;
import org.apache.coyote.http2.Http2Protocol;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Scenario 8 (HTTP/2 POST under h2load) on Tomcat: turns off the part of Tomcat's HTTP/2 overhead protection that
 * counts small DATA frames ({@code overheadDataThreshold=0}), and nothing else.
 *
 * <p>With Tomcat's defaults every h2load POST run lost connections: Tomcat gives a stream's window back as the
 * application reads, and sent WINDOW_UPDATEs of a single byte; h2load (nghttp2) fills such a window with a one-byte DATA
 * frame; Tomcat counts each DATA frame under 1,024 bytes as overhead and closes the connection ("Too much overhead so
 * the connection will be closed", logged at DEBUG by {@code Http2UpgradeHandler}). The streams in flight on it were
 * lost (the application logged "I/O error while reading input message") and h2load, with 64 connections, waited for
 * them until the harness cut the run. See docs/benchmarks.md, scenario 8.
 */
@Configuration(proxyBeanMethods = false)
class TomcatHttp2Settings {

	@Bean
	TomcatConnectorCustomizer http2OverheadDataThreshold() {
		// Boot adds the Http2Protocol (server.http2.enabled=true) before it runs the connector customizers.
		return (connector) -> {
			for (UpgradeProtocol protocol : connector.findUpgradeProtocols()) {
				if (protocol instanceof Http2Protocol http2) {
					http2.setOverheadDataThreshold(0);
				}
			}
		};
	}

}
