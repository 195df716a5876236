class OrderDao {
    String buyer(Statement st) throws SQLException {
        ResultSet rs = st.executeQuery("SELECT user_name, age FROM orders");
        return rs.getString("user_name") + rs.getInt("age");
    }

    String fromJson(JSONObject json) {
        return json.getString("user_name");
    }
}
