import pandas as pd


def export(conn):
    frame = pd.read_sql("SELECT id, user_name, age FROM users", conn)
    frame["age"] = frame["age"].astype("int32")
    orders = pd.read_sql("SELECT age FROM orders", conn)
    orders["age"] = orders["age"].astype("int32")
    return frame, orders
