__tablename__ = "users"
TABLES = {"__tablename__": "users"}


class Report:
    title = "users"
