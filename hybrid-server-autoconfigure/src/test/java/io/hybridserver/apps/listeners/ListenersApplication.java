package io.hybridserver.apps.listeners;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.hybridserver.transport.ProxyHeaderAttributes;

/** Says what the servlet API reports about where a request came from, for the listener tests. */
@SpringBootApplication
public class ListenersApplication {

	@RestController
	static class WhereController {

		@GetMapping(path = "/where", produces = "text/plain")
		String where(HttpServletRequest request) {
			return "remote=" + request.getRemoteAddr() + " remotePort=" + request.getRemotePort() + " local="
					+ request.getLocalAddr() + " localPort=" + request.getLocalPort() + " serverPort="
					+ request.getServerPort() + " secure=" + request.isSecure() + " authority="
					+ request.getAttribute(ProxyHeaderAttributes.AUTHORITY) + " proxySsl="
					+ request.getAttribute(ProxyHeaderAttributes.SSL);
		}

	}

}
