package io.hybridserver.bench.petclinic.owner;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.http.HttpStatus;

/** The owner pages: find, list (paged), details, and the create and edit forms. */
@Controller
class OwnerController {

	static final int PAGE_SIZE = 25;

	private static final String FORM = "owners/createOrUpdateOwnerForm";

	private final OwnerRepository owners;

	OwnerController(OwnerRepository owners) {
		this.owners = owners;
	}

	@InitBinder
	void noIdBinding(WebDataBinder binder) {
		binder.setDisallowedFields("id");
	}

	@GetMapping("/owners/find")
	String findForm(Model model) {
		model.addAttribute("owner", new Owner());
		return "owners/findOwners";
	}

	@GetMapping("/owners")
	String list(@RequestParam(defaultValue = "") String lastName, @RequestParam(defaultValue = "1") int page,
			Model model) {
		PageRequest request = PageRequest.of(Math.max(page, 1) - 1, PAGE_SIZE,
				Sort.by("lastName", "firstName", "id"));
		Page<Owner> found = this.owners.findByLastNameStartingWith(lastName, request);
		if (found.getTotalElements() == 1) {
			return "redirect:/owners/" + found.getContent().get(0).getId();
		}
		model.addAttribute("owners", found.getContent());
		model.addAttribute("lastName", lastName);
		model.addAttribute("currentPage", page);
		model.addAttribute("totalPages", found.getTotalPages());
		model.addAttribute("totalItems", found.getTotalElements());
		return "owners/ownersList";
	}

	@GetMapping("/owners/{ownerId}")
	String details(@PathVariable int ownerId, HttpServletRequest request, Model model) {
		Owner owner = find(ownerId);
		RecentlyViewed.add(request, owner);
		model.addAttribute("owner", owner);
		model.addAttribute(RecentlyViewed.ATTRIBUTE, RecentlyViewed.of(request));
		return "owners/ownerDetails";
	}

	@GetMapping("/owners/new")
	String createForm(Model model) {
		model.addAttribute("owner", new Owner());
		return FORM;
	}

	@PostMapping("/owners/new")
	String create(@Valid Owner owner, BindingResult result, RedirectAttributes redirect) {
		if (result.hasErrors()) {
			return FORM;
		}
		Owner saved = this.owners.save(owner);
		redirect.addFlashAttribute("message", "New owner created");
		return "redirect:/owners/" + saved.getId();
	}

	@GetMapping("/owners/{ownerId}/edit")
	String editForm(@PathVariable int ownerId, Model model) {
		model.addAttribute("owner", find(ownerId));
		return FORM;
	}

	@PostMapping("/owners/{ownerId}/edit")
	String edit(@PathVariable int ownerId, @Valid Owner form, BindingResult result, RedirectAttributes redirect) {
		if (result.hasErrors()) {
			form.setId(ownerId);
			return FORM;
		}
		Owner owner = find(ownerId);
		owner.setFirstName(form.getFirstName());
		owner.setLastName(form.getLastName());
		owner.setAddress(form.getAddress());
		owner.setCity(form.getCity());
		owner.setTelephone(form.getTelephone());
		this.owners.save(owner);
		redirect.addFlashAttribute("message", "Owner details updated");
		return "redirect:/owners/{ownerId}";
	}

	private Owner find(int ownerId) {
		return this.owners.findById(ownerId)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no owner " + ownerId));
	}

}
