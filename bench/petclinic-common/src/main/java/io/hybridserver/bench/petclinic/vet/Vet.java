package io.hybridserver.bench.petclinic.vet;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.Table;

import io.hybridserver.bench.petclinic.model.Person;

/** A vet and their specialties. */
@Entity
@Table(name = "vets")
public class Vet extends Person {

	@ManyToMany(fetch = FetchType.EAGER)
	@JoinTable(name = "vet_specialties", joinColumns = @JoinColumn(name = "vet_id"),
			inverseJoinColumns = @JoinColumn(name = "specialty_id"))
	private Set<Specialty> specialties = new LinkedHashSet<>();

	/** The specialties by name, so that every server renders them in the same order. */
	public List<Specialty> getSpecialties() {
		return this.specialties.stream().sorted(Comparator.comparing(Specialty::getName)).toList();
	}

	public int getNrOfSpecialties() {
		return this.specialties.size();
	}

	public void addSpecialty(Specialty specialty) {
		this.specialties.add(specialty);
	}

}
