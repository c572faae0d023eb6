package io.hybridserver.bench.petclinic;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The real-application benchmark (scenario 9 of bench/run.sh): a server-rendered clinic application. The same classes
 * run on every contender server; only the module that packages them (petclinic-hybrid, petclinic-tomcat,
 * petclinic-jetty) differs, by its server dependency, and each is run from its executable jar, as users run theirs.
 */
@SpringBootApplication
public class PetClinicApplication {

	public static void main(String[] args) {
		SpringApplication.run(PetClinicApplication.class, args);
	}

}
