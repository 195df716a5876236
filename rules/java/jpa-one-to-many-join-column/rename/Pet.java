package com.acme.clinic;

import java.util.LinkedHashSet;
import java.util.Set;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Entity;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.OneToMany;
import jakarta.persistence.Table;

@Entity
@Table(name = "pets")
public class Pet {

	@OneToMany(cascade = CascadeType.ALL)
	@JoinColumn(name = "pet_id")
	private final Set<Visit> visits = new LinkedHashSet<>();

	// A many-to-one's column is the entity's own (java/jpa-column's), and not this one.
	@ManyToOne
	@JoinColumn(name = "vet_id")
	private Vet vet;
}
