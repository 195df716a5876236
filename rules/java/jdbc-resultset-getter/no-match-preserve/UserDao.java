class UserDao {
    String name(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT user_name FROM users")) {
            return rs.next() ? rs.getString("user_name") : null;
        }
    }
}
