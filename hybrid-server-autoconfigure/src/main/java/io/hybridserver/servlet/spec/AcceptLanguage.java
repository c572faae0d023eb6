package io.hybridserver.servlet.spec;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Reads {@code Accept-Language} (RFC 9110 section 12.5.4) into locales by descending quality; ties keep header order.
 * Ranges with {@code q=0}, the wildcard {@code *} and unparsable quality values are skipped.
 */
final class AcceptLanguage {

	private AcceptLanguage() {
	}

	static List<Locale> parse(List<String> headers) {
		List<double[]> order = new ArrayList<>();
		List<Locale> locales = new ArrayList<>();
		for (String header : headers) {
			for (String range : header.split(",")) {
				String[] parts = range.split(";");
				String tag = parts[0].trim();
				if (tag.isEmpty() || tag.equals("*")) {
					continue;
				}
				double quality = 1.0;
				for (int i = 1; i < parts.length; i++) {
					String param = parts[i].trim();
					if (param.startsWith("q=") || param.startsWith("Q=")) {
						try {
							quality = Double.parseDouble(param.substring(2).trim());
						}
						catch (NumberFormatException ex) {
							quality = -1;
						}
					}
				}
				if (quality <= 0 || quality > 1) {
					continue;
				}
				Locale locale = Locale.forLanguageTag(tag);
				if (locale.getLanguage().isEmpty()) {
					continue;
				}
				order.add(new double[] { quality, locales.size() });
				locales.add(locale);
			}
		}
		order.sort(Comparator.comparingDouble((double[] e) -> -e[0]).thenComparingDouble((double[] e) -> e[1]));
		List<Locale> sorted = new ArrayList<>(locales.size());
		for (double[] entry : order) {
			sorted.add(locales.get((int) entry[1]));
		}
		return sorted;
	}

}
