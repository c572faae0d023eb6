package io.hybridserver.boot;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.boot.web.server.Compression;

import io.hybridserver.http.ResponseCompression;

/** {@code server.compression.*} as the HTTP layer's policy; shared by both factories. */
final class CompressionPolicy {

	private CompressionPolicy() {
	}

	/**
	 * The policy, or {@code null} when compression is off.
	 * @param additionalMimeTypes {@code server.compression.additional-mime-types} (Boot 4.1), bound by the
	 * auto-configuration: Boot 4.0's {@link Compression} has neither that property nor {@code getAllMimeTypes()}, so
	 * the union is made here, from what both Boot lines have
	 */
	static ResponseCompression of(Compression compression, List<String> additionalMimeTypes) {
		if (compression == null || !compression.getEnabled()) {
			return null;
		}
		Set<String> mimeTypes = new LinkedHashSet<>(List.of(compression.getMimeTypes()));
		mimeTypes.addAll(additionalMimeTypes);
		return new ResponseCompression(List.copyOf(mimeTypes), compression.getMinResponseSize().toBytes(),
				(compression.getExcludedUserAgents() != null) ? List.of(compression.getExcludedUserAgents()) : List.of());
	}

}
