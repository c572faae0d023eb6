package io.hybridserver.bench.petclinic.system;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

import io.hybridserver.bench.petclinic.owner.RecentlyViewed;

/** What the layout shows on every page: the owners recently viewed in this session. */
@ControllerAdvice
class LayoutModel {

	@ModelAttribute("recentOwners")
	List<RecentlyViewed.Entry> recentOwners(HttpServletRequest request) {
		return RecentlyViewed.of(request);
	}

}
