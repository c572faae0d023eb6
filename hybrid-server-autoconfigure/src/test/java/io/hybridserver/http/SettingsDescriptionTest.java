package io.hybridserver.http;

import java.beans.Introspector;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.hybridserver.http.h2.Http2Config;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settings objects describe every setting they have, so that {@code /actuator/hybridserver} cannot drift from
 * them: each public getter has its entry in {@code describe()} (under the property's name where the two differ),
 * and nothing else does.
 */
class SettingsDescriptionTest {

	@Test
	void theHttpSettingsDescribeEveryGetter() {
		HttpServerConfig config = new HttpServerConfig();
		assertThat(config.describe().keySet())
			.containsExactlyInAnyOrderElementsOf(settingNames(HttpServerConfig.class,
					Map.of("responseHighWaterMark", "responseBufferSize")));
		assertThat(config.describe()).containsEntry("keepAliveTimeout", "PT20S").containsEntry("allowTrace", false);
	}

	@Test
	void theHttp2SettingsDescribeEveryGetter() {
		Http2Config config = new Http2Config().setMaxConcurrentStreams(7);
		assertThat(config.describe().keySet())
			.containsExactlyInAnyOrderElementsOf(settingNames(Http2Config.class, Map.of()));
		assertThat(config.describe()).containsEntry("maxConcurrentStreams", 7);
	}

	/** The names of the public instance getters, renamed where the description uses the property's name. */
	private static Set<String> settingNames(Class<?> type, Map<String, String> renamed) {
		Set<String> names = new TreeSet<>();
		for (Method method : type.getDeclaredMethods()) {
			String name = method.getName();
			boolean getter = (name.startsWith("get") && name.length() > 3)
					|| (name.startsWith("is") && name.length() > 2);
			if (getter && Modifier.isPublic(method.getModifiers()) && !Modifier.isStatic(method.getModifiers())
					&& method.getParameterCount() == 0) {
				String setting = Introspector.decapitalize(name.substring(name.startsWith("is") ? 2 : 3));
				names.add(renamed.getOrDefault(setting, setting));
			}
		}
		return names;
	}

}
