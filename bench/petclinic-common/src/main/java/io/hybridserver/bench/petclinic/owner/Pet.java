package io.hybridserver.bench.petclinic.owner;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;

import io.hybridserver.bench.petclinic.model.NamedEntity;

/** A pet, its type and its visits. */
@Entity
@Table(name = "pets")
public class Pet extends NamedEntity {

	@Column(name = "birth_date")
	private LocalDate birthDate;

	@ManyToOne(fetch = FetchType.LAZY)
	@JoinColumn(name = "type_id")
	private PetType type;

	@ManyToOne(fetch = FetchType.LAZY)
	@JoinColumn(name = "owner_id")
	private Owner owner;

	@OneToMany(mappedBy = "pet", cascade = CascadeType.ALL)
	@OrderBy("visitDate DESC, id DESC")
	private List<Visit> visits = new ArrayList<>();

	public LocalDate getBirthDate() {
		return this.birthDate;
	}

	public void setBirthDate(LocalDate birthDate) {
		this.birthDate = birthDate;
	}

	public PetType getType() {
		return this.type;
	}

	public void setType(PetType type) {
		this.type = type;
	}

	public Owner getOwner() {
		return this.owner;
	}

	void setOwner(Owner owner) {
		this.owner = owner;
	}

	public List<Visit> getVisits() {
		return this.visits;
	}

	public void addVisit(Visit visit) {
		visit.setPet(this);
		this.visits.add(visit);
	}

}
