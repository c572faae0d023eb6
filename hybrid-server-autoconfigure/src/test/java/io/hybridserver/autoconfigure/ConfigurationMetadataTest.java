package io.hybridserver.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.json.JsonParserFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IDE metadata that the build generates for {@code server.hybrid.*} (META-INF/spring-configuration-metadata.json,
 * from the properties' javadoc plus additional-spring-configuration-metadata.json): every property has a description
 * and a default, the default is the one the code really has, and every enum property lists its values.
 */
class ConfigurationMetadataTest {

	/** Properties without a static default, each for a reason the description states. */
	private static final Set<String> NO_DEFAULT = Set.of(
			// the number of available processors of the machine it runs on
			"server.hybrid.io-threads",
			// unset: follows server.max-http-request-header-size, as Tomcat does
			"server.hybrid.http2.max-header-list-size",
			// unset: no proxy trusted beyond the internal ones
			"server.hybrid.remote-ip.trusted-proxies",
			// a list, empty unless configured: no listener beside the primary port
			"server.hybrid.additional-listeners",
			// a list, empty unless configured: with the PROXY protocol on, any peer may send a header
			"server.hybrid.proxy-protocol.trusted-sources",
			// unset: the TLS port's number
			"server.hybrid.http3.port",
			// unset: max-streams times initial-max-stream-data
			"server.hybrid.http3.initial-max-data",
			// unset: no size limit, access log files rotate by date only
			"server.hybrid.accesslog.max-file-size",
			// unset: WebSocket sessions run where server.hybrid.reactive.dispatch runs HTTP handlers
			"server.hybrid.reactive.websocket-dispatch");

	@Test
	void everyPropertyHasADescriptionAndADefault() throws IOException {
		List<Map<String, Object>> properties = hybridProperties();
		assertThat(properties).hasSizeGreaterThan(40);
		for (Map<String, Object> property : properties) {
			String name = (String) property.get("name");
			assertThat((String) property.get("description")).as("description of %s", name).isNotBlank();
			if (!NO_DEFAULT.contains(name)) {
				assertThat(property).as("default of %s", name).containsKey("defaultValue");
			}
		}
	}

	@Test
	void everyDefaultIsTheOneTheCodeHas() throws IOException {
		BeanWrapperImpl defaults = new BeanWrapperImpl(new HybridServerProperties());
		for (Map<String, Object> property : hybridProperties()) {
			String name = (String) property.get("name");
			Object actual = defaults.getPropertyValue(beanPath(name));
			if (!property.containsKey("defaultValue")) {
				if (actual instanceof java.util.Collection<?> collection) {
					assertThat(collection).as("%s has no default in its metadata, so an empty list in the code", name)
						.isEmpty();
				}
				else if (!name.equals("server.hybrid.io-threads")) {
					assertThat(actual).as("%s has no default in its metadata, so none in the code", name).isNull();
				}
				continue;
			}
			Object documented = ApplicationConversionService.getSharedInstance()
				.convert(String.valueOf(property.get("defaultValue")), actual.getClass());
			assertThat(documented).as("documented default of %s", name).isEqualTo(actual);
		}
	}

	@Test
	void everyEnumPropertyHintsAllItsValues() throws Exception {
		Map<String, List<String>> hints = hints();
		for (Map<String, Object> property : hybridProperties()) {
			// Collections are named with their element type (java.util.List<...>); only the raw type can be an enum.
			Class<?> type = Class.forName(((String) property.get("type")).replaceAll("<.*>", ""));
			if (type.isEnum()) {
				List<String> expected = Stream.of(type.getEnumConstants())
					.map((constant) -> ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
					.toList();
				assertThat(hints.get(property.get("name"))).as("hints of %s", property.get("name"))
					.containsExactlyInAnyOrderElementsOf(expected);
			}
		}
	}

	private static String beanPath(String name) {
		return Stream.of(name.substring("server.hybrid.".length()).split("\\."))
			.map(ConfigurationMetadataTest::camelCase)
			.collect(Collectors.joining("."));
	}

	private static String camelCase(String kebab) {
		StringBuilder out = new StringBuilder();
		boolean upper = false;
		for (char c : kebab.toCharArray()) {
			if (c == '-') {
				upper = true;
			}
			else {
				out.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return out.toString();
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> hybridProperties() throws IOException {
		List<Map<String, Object>> properties = new ArrayList<>();
		for (Object property : (List<Object>) ourMetadata().get("properties")) {
			Map<String, Object> map = (Map<String, Object>) property;
			if (((String) map.get("name")).startsWith("server.hybrid.")) {
				properties.add(map);
			}
		}
		return properties;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, List<String>> hints() throws IOException {
		Map<String, List<String>> hints = new java.util.HashMap<>();
		for (Object hint : (List<Object>) ourMetadata().getOrDefault("hints", List.of())) {
			Map<String, Object> map = (Map<String, Object>) hint;
			hints.put((String) map.get("name"), ((List<Object>) map.get("values")).stream()
				.map((value) -> (String) ((Map<String, Object>) value).get("value"))
				.toList());
		}
		return hints;
	}

	/** The generated file of our jar, not one of Spring Boot's. */
	private static Map<String, Object> ourMetadata() throws IOException {
		for (URL url : Collections.list(ConfigurationMetadataTest.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
				if (json.contains("\"server.hybrid\"")) {
					return JsonParserFactory.getJsonParser().parseMap(json);
				}
			}
		}
		throw new AssertionError("no generated configuration metadata for server.hybrid on the class path");
	}

}
