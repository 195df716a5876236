import pandas as pd


def export(conn):
    frame = pd.read_sql_table("users", conn, columns=["id", "user_name"])
    whole = pd.read_sql("users", conn)
    chunks = pd.read_sql_table("users", conn, chunksize=1000)
    query = pd.read_sql("SELECT id, user_name FROM users", conn)
    return frame["user_name"], whole["user_name"], chunks, query["user_name"]
