package com.acme.jdbc;

import java.util.List;
import java.util.Set;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Transient;
import org.springframework.data.relational.core.mapping.Column;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.data.relational.core.mapping.Table;

@Table("users")
public class Customer {
	@Id
	private Long id;

	@Deprecated
	private String userName;

	private Integer age;

	@Transient
	private String legacyFlag;

	private Set<Address> addresses;

	@MappedCollection(idColumn = "user_id")
	private List<Phone> phones;

	private static final String FIRST_NAME = "first";
}

@Table(value = "users")
class Inline {
    @Deprecated private String userName;
}
