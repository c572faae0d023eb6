package io.hybridserver.bench.petclinic.owner;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import io.hybridserver.bench.petclinic.model.NamedEntity;

/** A kind of pet: cat, dog, ... */
@Entity
@Table(name = "types")
public class PetType extends NamedEntity {

}
