import pandas as pd


def export(conn):
    frame = pd.read_sql("SELECT id, age FROM users", conn)
    frame["age"] = frame["age"].astype("Int32")
    small = frame["age"].astype("int32")
    orders = pd.read_sql_table("orders", conn)
    orders["age"] = orders["age"].astype("Int32")
    return frame, small, orders
