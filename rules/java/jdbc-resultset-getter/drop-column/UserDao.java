class UserDao {
    boolean legacy(ResultSet rs) throws SQLException {
        String sql = "SELECT legacy_flag FROM users";
        return rs.getBoolean("legacy_flag");
    }
}
