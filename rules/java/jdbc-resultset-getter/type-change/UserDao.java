class UserDao {
    int age(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT age FROM users WHERE id = ?")) {
            ps.setLong(1, id);
            ResultSet rs = ps.executeQuery();
            rs.next();
            String shown = rs.getString("age");
            return rs.getInt("age");
        }
    }
}
