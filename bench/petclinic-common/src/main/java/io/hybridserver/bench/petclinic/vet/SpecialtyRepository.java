package io.hybridserver.bench.petclinic.vet;

import org.springframework.data.jpa.repository.JpaRepository;

/** Specialties; only the seed writes them. */
public interface SpecialtyRepository extends JpaRepository<Specialty, Integer> {

}
