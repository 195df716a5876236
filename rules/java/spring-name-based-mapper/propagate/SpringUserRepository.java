package com.acme.spring;

import java.util.List;
import org.springframework.jdbc.core.BeanPropertyRowMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

public class SpringUserRepository {
    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final JdbcClient client;

    public SpringUserRepository(JdbcTemplate jdbc, NamedParameterJdbcTemplate named, JdbcClient client) {
        this.jdbc = jdbc;
        this.named = named;
        this.client = client;
    }

    public List<String> names() {
        return jdbc.query("SELECT user_name FROM users ORDER BY user_name", (rs, rowNum) -> rs.getString("user_name"));
    }

    public Integer age(long id) {
        return jdbc.queryForObject("SELECT age FROM users WHERE id = ?", Integer.class, id);
    }

    public int rename(long id, String name) {
        return jdbc.update("UPDATE users SET user_name = ? WHERE id = ?", name, id);
    }

    public List<String> byName(String name) {
        return named.queryForList(
                "SELECT id FROM users WHERE user_name = :name",
                new MapSqlParameterSource("name", name),
                String.class);
    }

    public List<String> viaClient(int minAge) {
        return client.sql("""
                SELECT user_name
                  FROM users
                 WHERE age > :minAge
                """)
                .param("minAge", minAge)
                .query((rs, rowNum) -> rs.getString("user_name"))
                .list();
    }

    // Bean mapping matches result columns to properties by name.
    public List<UserBean> beans() {
        return jdbc.query("SELECT id, user_name, age FROM users", new BeanPropertyRowMapper<>(UserBean.class));
    }

    public static class UserBean {
        public long id;
        public String userName;
        public int age;
    }
}
