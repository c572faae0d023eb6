package io.hybridserver.bench.petclinic.owner;

import org.springframework.data.jpa.repository.JpaRepository;

/** Pet types; only the seed writes them. */
public interface PetTypeRepository extends JpaRepository<PetType, Integer> {

}
