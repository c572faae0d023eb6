package io.hybridserver.bench.petclinic.vet;

import java.util.List;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/** The vets list: a server-rendered page, and the same data as JSON. */
@Controller
class VetController {

	private final VetRepository vets;

	VetController(VetRepository vets) {
		this.vets = vets;
	}

	@GetMapping("/vets.html")
	String vetList(Model model) {
		model.addAttribute("vets", this.vets.findAllWithSpecialties());
		return "vets/vetList";
	}

	@GetMapping("/api/vets")
	@ResponseBody
	List<VetView> vetsJson() {
		return this.vets.findAllWithSpecialties().stream().map(VetView::of).toList();
	}

	/** A vet as the JSON endpoint shows it: no entity graph, no lazy proxies. */
	record VetView(int id, String firstName, String lastName, List<String> specialties) {

		static VetView of(Vet vet) {
			return new VetView(vet.getId(), vet.getFirstName(), vet.getLastName(),
					vet.getSpecialties().stream().map(Specialty::getName).toList());
		}

	}

}
