import pandas as pd


def load(conn):
    frame = pd.read_sql_table("users", conn)
    names = frame["user_name"].str.lower()
    subset = frame[["id", "user_name"]]
    queried = pd.read_sql("SELECT id, user_name FROM users", conn)
    kept = queried["user_name"]
    orders = pd.read_sql_table("orders", conn)
    other = orders["user_name"]
    settings = {"user_name": "x"}
    return names, subset, kept, other, settings["user_name"]
