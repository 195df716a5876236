import pandas as pd


def load(conn):
    a = pd.read_sql_table("users", conn, columns=["id", "user_name"], index_col="user_name")
    b = pd.read_sql("users", conn, parse_dates=["created_at"], dtype={"age": "int32"})
    c = pd.read_sql_table("orders", conn, columns=["user_name"])
    return a, b, c
