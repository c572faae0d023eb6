package io.hybridserver.bench.petclinic.owner;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;

/**
 * The owners a visitor looked at last, kept in their HTTP session and shown by the layout on every page. The list in
 * the session is immutable and replaced as a whole, so that concurrent requests of one session never see it half
 * changed.
 */
public final class RecentlyViewed {

	static final String ATTRIBUTE = "recentOwners";

	private static final int MAX = 5;

	private RecentlyViewed() {
	}

	/** One owner as the layout links to it. */
	public record Entry(int id, String name) implements Serializable {
	}

	/** The owners of this visitor's session, most recent first; empty without a session (none is created). */
	@SuppressWarnings("unchecked")
	public static List<Entry> of(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		Object list = (session != null) ? session.getAttribute(ATTRIBUTE) : null;
		return (list != null) ? (List<Entry>) list : List.of();
	}

	static void add(HttpServletRequest request, Owner owner) {
		List<Entry> updated = new ArrayList<>(MAX);
		updated.add(new Entry(owner.getId(), owner.getFirstName() + " " + owner.getLastName()));
		for (Entry entry : of(request)) {
			if (entry.id() != owner.getId() && updated.size() < MAX) {
				updated.add(entry);
			}
		}
		request.getSession().setAttribute(ATTRIBUTE, List.copyOf(updated));
	}

}
