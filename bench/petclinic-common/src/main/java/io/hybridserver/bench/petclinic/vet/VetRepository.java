package io.hybridserver.bench.petclinic.vet;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.transaction.annotation.Transactional;

/** Vets with their specialties, in one query. */
public interface VetRepository extends JpaRepository<Vet, Integer> {

	@Transactional(readOnly = true)
	@Query("select distinct v from Vet v left join fetch v.specialties order by v.lastName, v.firstName, v.id")
	List<Vet> findAllWithSpecialties();

}
