package io.hybridserver.bench.petclinic.system;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.hybridserver.bench.petclinic.owner.Owner;
import io.hybridserver.bench.petclinic.owner.OwnerRepository;
import io.hybridserver.bench.petclinic.owner.Pet;
import io.hybridserver.bench.petclinic.owner.PetType;
import io.hybridserver.bench.petclinic.owner.PetTypeRepository;
import io.hybridserver.bench.petclinic.owner.Visit;
import io.hybridserver.bench.petclinic.vet.Specialty;
import io.hybridserver.bench.petclinic.vet.SpecialtyRepository;
import io.hybridserver.bench.petclinic.vet.Vet;
import io.hybridserver.bench.petclinic.vet.VetRepository;

/**
 * Seeds the in-memory database before the web server starts (singletons are ready before the server's lifecycle
 * starts), so the first answered request already sees every row. The data come from a fixed random seed: every
 * contender serves the same pages, which run.sh compares before measuring. Sizes: 40 vets (the vets page renders them
 * all), 200 owners (25 per list page) with 1 to 3 pets each, each pet with up to 4 visits.
 */
@Component
class DataSeeder implements SmartInitializingSingleton {

	static final int VETS = 40;

	static final int OWNERS = 200;

	private static final String[] FIRST = { "George", "Betty", "Eduardo", "Harold", "Peter", "Jean", "Jeff", "Maria",
			"David", "Carlos", "Helen", "Linda", "Rafael", "Henry", "Sharon", "James", "Grace", "Omar", "Yuki", "Ines" };

	private static final String[] LAST = { "Franklin", "Davis", "Rodriquez", "Black", "McTavish", "Coleman", "Escobito",
			"Schroeder", "Estaban", "Carter", "Leary", "Douglas", "Ortega", "Stevens", "Jenkins", "Nakamura", "Silva",
			"Novak", "Keller", "Haddad", "Moreau", "Lindqvist", "Okafor", "Brennan", "Kowalski", "Rossi", "Dubois",
			"Yilmaz", "Petrov", "Andersen" };

	private static final String[] STREETS = { "Main St.", "E. Washington Ave.", "W. Liberty St.", "Lake St.",
			"Sunset Blvd.", "Oak Ave.", "Maple Dr.", "Mill Rd." };

	private static final String[] CITIES = { "Madison", "Sun Prairie", "McFarland", "Windsor", "Monona", "Waunakee",
			"Middleton", "Verona" };

	private static final String[] PETS = { "Leo", "Basil", "Rosy", "Jewel", "Iggy", "George", "Samantha", "Max",
			"Lucky", "Mulligan", "Freddy", "Sly", "Luna", "Milo", "Nala", "Pepper", "Ziggy", "Biscuit" };

	private static final String[] VISITS = { "rabies shot", "neutered", "spayed", "annual check-up", "dental cleaning",
			"limping, x-ray", "vaccination booster", "skin rash", "ear infection", "weight control" };

	private final TransactionTemplate transaction;

	private final OwnerRepository owners;

	private final PetTypeRepository types;

	private final VetRepository vets;

	private final SpecialtyRepository specialties;

	DataSeeder(PlatformTransactionManager transactions, OwnerRepository owners, PetTypeRepository types,
			VetRepository vets, SpecialtyRepository specialties) {
		this.transaction = new TransactionTemplate(transactions);
		this.owners = owners;
		this.types = types;
		this.vets = vets;
		this.specialties = specialties;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.transaction.executeWithoutResult((status) -> seed(new Random(22)));
	}

	private void seed(Random random) {
		List<Specialty> specialtyList = new ArrayList<>();
		for (String name : new String[] { "cardiology", "dentistry", "dermatology", "oncology", "radiology",
				"surgery" }) {
			Specialty specialty = new Specialty();
			specialty.setName(name);
			specialtyList.add(this.specialties.save(specialty));
		}
		for (int i = 0; i < VETS; i++) {
			Vet vet = new Vet();
			vet.setFirstName(pick(random, FIRST));
			vet.setLastName(pick(random, LAST));
			for (int s = random.nextInt(3); s > 0; s--) {
				vet.addSpecialty(specialtyList.get(random.nextInt(specialtyList.size())));
			}
			this.vets.save(vet);
		}
		List<PetType> typeList = new ArrayList<>();
		for (String name : new String[] { "bird", "cat", "dog", "hamster", "lizard", "snake" }) {
			PetType type = new PetType();
			type.setName(name);
			typeList.add(this.types.save(type));
		}
		LocalDate today = LocalDate.of(2026, 12, 1);
		for (int i = 0; i < OWNERS; i++) {
			Owner owner = new Owner();
			owner.setFirstName(pick(random, FIRST));
			owner.setLastName(pick(random, LAST));
			owner.setAddress((100 + random.nextInt(9900)) + " " + pick(random, STREETS));
			owner.setCity(pick(random, CITIES));
			owner.setTelephone(String.format("608%07d", random.nextInt(10_000_000)));
			// The first owner is the one the detail page shows: give it the most to render.
			int pets = (i == 0) ? 3 : 1 + random.nextInt(3);
			for (int p = 0; p < pets; p++) {
				Pet pet = new Pet();
				pet.setName(pick(random, PETS));
				pet.setBirthDate(today.minusDays(200 + random.nextInt(4000)));
				pet.setType(typeList.get(random.nextInt(typeList.size())));
				owner.addPet(pet);
				int visits = (i == 0) ? 4 : random.nextInt(5);
				for (int v = 0; v < visits; v++) {
					Visit visit = new Visit();
					visit.setVisitDate(today.minusDays(random.nextInt(700)));
					visit.setDescription(pick(random, VISITS));
					pet.addVisit(visit);
				}
			}
			this.owners.save(owner);
		}
	}

	private static String pick(Random random, String[] values) {
		return values[random.nextInt(values.length)];
	}

}
