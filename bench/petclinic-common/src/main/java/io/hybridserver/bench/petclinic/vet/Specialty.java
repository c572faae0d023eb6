package io.hybridserver.bench.petclinic.vet;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import io.hybridserver.bench.petclinic.model.NamedEntity;

/** A vet's specialty: radiology, surgery, ... */
@Entity
@Table(name = "specialties")
public class Specialty extends NamedEntity {

}
