package io.hybridserver.boot;

import java.util.List;

import org.springframework.boot.web.server.Compression;

import io.hybridserver.http.ResponseCompression;

/** {@code server.compression.*} as the HTTP layer's policy; shared by both factories. */
final class CompressionPolicy {

	private CompressionPolicy() {
	}

	/** The policy, or {@code null} when compression is off. */
	static ResponseCompression of(Compression compression) {
		if (compression == null || !compression.getEnabled()) {
			return null;
		}
		return new ResponseCompression(List.of(compression.getAllMimeTypes()),
				compression.getMinResponseSize().toBytes(),
				(compression.getExcludedUserAgents() != null) ? List.of(compression.getExcludedUserAgents()) : List.of());
	}

}
