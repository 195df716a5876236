package com.example;

import javax.persistence.*;
import javax.validation.constraints.NotNull;

@Entity
@Table(name = "users")
public class Account {
	@NotNull
	@Deprecated
	private String userName;
}
